// HTTP Range handling (RFC 9110 §14) for media responses. <video> seeks by asking for byte ranges,
// so both the Electron media protocol and the loopback test bridge answer 206 from this one module.

export type RangeDecision =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * Decides how to answer a Range header for a resource of `size` bytes.
 * Only single byte ranges are served; multiple ranges and malformed headers get 416 rather
 * than a multipart body nobody here needs.
 */
export function parseRange(header: string | null | undefined, size: number): RangeDecision {
  if (header === null || header === undefined || header === '') return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'unsatisfiable' };
  if (m[1].length > 15 || m[2].length > 15) return { kind: 'unsatisfiable' };
  if (m[1] === '') {
    // Suffix range: the last N bytes.
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

export interface RangeResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** Inclusive byte span to send; null for 416. */
  span: { start: number; end: number } | null;
}

/** Status, headers and byte span for a media resource. */
export function rangeResponse(header: string | null | undefined, size: number, mime: string): RangeResponse {
  const base: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  const r = parseRange(header, size);
  if (r.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, span: null };
  }
  const span = r.kind === 'partial' ? { start: r.start, end: r.end } : { start: 0, end: size - 1 };
  const headers: Record<string, string> = {
    ...base,
    'Content-Type': mime,
    'Content-Length': String(Math.max(0, span.end - span.start + 1)),
  };
  if (r.kind === 'partial') headers['Content-Range'] = `bytes ${span.start}-${span.end}/${size}`;
  return { status: r.kind === 'partial' ? 206 : 200, headers, span };
}
