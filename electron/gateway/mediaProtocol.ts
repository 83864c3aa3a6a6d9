// The media protocol without Electron: which URLs are media URLs, and how a request for one is
// answered. Electron's `media://` handler and the test bridge's `/media/...` route both call
// `answerMediaRequest`, so seeking (Range/206) and the "only imported files" rule live in one place.
import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { MEDIA_SCHEME } from '../common/contract';
import { parseMediaUrl, type MediaRef } from '../common/media';
import { isRemoteOrDevicePath } from '../common/paths';
import { rangeResponse } from './range';

export type MediaFile =
  | { kind: 'file'; path: string; mime: string }
  | { kind: 'bytes'; data: Buffer; mime: string };

/** What the engine offers: resolves a media ref through the case file, null when it is not ours. */
export interface MediaFileSource {
  mediaFile(ref: MediaRef): MediaFile | null | Promise<MediaFile | null>;
}

/** Path prefix under which the loopback bridge serves what Electron serves as `media://`. */
export const BRIDGE_MEDIA_PREFIX = '/media/';

/**
 * Accepts exactly `media://video/<id>`, `media://proxy/<id>`, `media://thumbnail/<id>` or the bridge's
 * `/media/video/<id>`, `/media/proxy/<id>`, `/media/thumbnail/<id>`; anything else (other hosts, extra segments,
 * dot-segments, encoded characters, non-numeric ids) is null.
 */
export function mediaRefFromUrl(url: string): MediaRef | null {
  if (typeof url !== 'string' || url.length > 200) return null;
  if (url.startsWith(BRIDGE_MEDIA_PREFIX)) return parseMediaUrl(`${MEDIA_SCHEME}://${url.slice(BRIDGE_MEDIA_PREFIX.length)}`);
  return parseMediaUrl(url);
}

/** `media://video/3` → `/media/video/3`, for the bridge; other strings unchanged. */
export function toBridgeMediaPath(url: string): string {
  const prefix = `${MEDIA_SCHEME}://`;
  return url.startsWith(prefix) ? BRIDGE_MEDIA_PREFIX + url.slice(prefix.length) : url;
}

export interface MediaAnswer {
  status: number;
  headers: Record<string, string>;
  /** Node stream of the body, or null (errors, HEAD, 416). */
  body: Readable | null;
}

const plain = (status: number, message: string): MediaAnswer => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  body: Readable.from([Buffer.from(message)]),
});

/** Answers one media request: 404 for anything not imported, 416 for bad ranges, else 200/206. */
export async function answerMediaRequest(
  source: MediaFileSource,
  req: { url: string; method: string; range: string | null },
): Promise<MediaAnswer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'method not allowed');
  const ref = mediaRefFromUrl(req.url);
  if (!ref) return plain(404, 'not a media URL');
  let file: MediaFile | null;
  try {
    file = await source.mediaFile(ref);
  } catch {
    file = null;
  }
  if (!file) return plain(404, 'not in this case');

  if (file.kind === 'bytes') {
    const r = rangeResponse(req.range, file.data.length, file.mime);
    const body = r.span && req.method === 'GET' ? Readable.from([file.data.subarray(r.span.start, r.span.end + 1)]) : null;
    return { status: r.status, headers: r.headers, body };
  }

  // A UNC or device path read from a case is never touched: even a stat makes Windows authenticate to the share.
  if (isRemoteOrDevicePath(file.path)) return plain(403, 'network share and device paths are not served');
  // The case file says this path was imported; still refuse anything that is no longer a plain file.
  let size: number;
  try {
    const st = await fs.promises.stat(file.path);
    if (!st.isFile()) return plain(404, 'not a file');
    size = st.size;
  } catch {
    return plain(404, 'source file is missing');
  }
  const r = rangeResponse(req.range, size, file.mime);
  const body = r.span && req.method === 'GET' && size > 0
    ? fs.createReadStream(file.path, { start: r.span.start, end: r.span.end })
    : null;
  return { status: r.status, headers: r.headers, body };
}
