// Browser-side half of the loopback bridge: implements `window.sightline` (SightlineApi plus the
// toMediaSrc extra) over fetch and Server-Sent Events. The server serves this function's source as
// /bridge-client.js (a file, so the page's CSP needs no inline script). It must be self-contained:
// it runs in the page, not in Node, so it may not use anything from its module scope.

/* eslint-disable @typescript-eslint/no-explicit-any */
export function installBridgeClient(methods: readonly string[]): void {
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
    const res = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body: any = await res.json();
    if (!res.ok || !body.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
    return body.value === undefined ? undefined : rewrite(body.value);
  };
  const listeners = new Set<(e: unknown) => void>();
  let source: any = null;
  const api: Record<string, unknown> = {};
  for (const m of methods) api[m] = (...args: unknown[]) => call(m, args);
  api.onProgress = (listener: (e: unknown) => void) => {
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
  api.toMediaSrc = toMediaSrc;
  g.sightline = Object.freeze(api);
}
