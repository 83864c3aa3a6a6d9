// Browser-side half of the loopback bridge: puts the RPC transport on `window.sightline` (call over
// fetch, progress over Server-Sent Events, plus the toMediaSrc extra), the same shape the preload
// exposes in Electron (preload/extras.ts WindowSightline). The server serves this function's source
// as /bridge-client.js (a file, so the page's CSP needs no inline script). It must be self-contained:
// it runs in the page, not in Node, so it may not use anything from its module scope. Requests carry
// the bridge's HttpOnly session cookie; the page never sees the token.

/* eslint-disable @typescript-eslint/no-explicit-any */
export function installBridgeClient(): void {
  const g = globalThis as any;
  const MEDIA = 'media://';
  // The engine speaks media:// URLs; the bridge serves the same resources under /media/.
  const toMediaSrc = (u: string): string => (typeof u === 'string' && u.startsWith(MEDIA) ? `/media/${u.slice(MEDIA.length)}` : u);
  const rewrite = (v: any): any => {
    if (typeof v === 'string') return toMediaSrc(v);
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') {
      const o: Record<string, any> = {};
      for (const k of Object.keys(v)) o[k] = rewrite(v[k]);
      return o;
    }
    return v;
  };
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    const res = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    let body: any = null;
    try { body = await res.json(); } catch { /* not JSON: reported below */ }
    if (res.ok && body?.ok) return { ok: true, value: body.value === undefined ? undefined : rewrite(body.value) };
    return { ok: false, error: { code: body?.code ?? 'INTERNAL', message: body?.error ?? `HTTP ${res.status}` } };
  };
  const listeners = new Set<(e: unknown) => void>();
  let source: any = null;
  const onProgress = (listener: (e: unknown) => void) => {
    listeners.add(listener);
    if (!source) {
      source = new g.EventSource('/api/progress');
      source.addEventListener('progress', (ev: any) => {
        const e = JSON.parse(ev.data);
        for (const l of [...listeners]) l(e);
      });
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) { source.close(); source = null; }
    };
  };
  g.sightline = Object.freeze({ call, onProgress, toMediaSrc });
}
