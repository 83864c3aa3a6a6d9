// Loopback bridge for tests and development: serves the built UI to a plain browser, with the same
// API, validation and media protocol (Range/206) as Electron main, over HTTP on 127.0.0.1.
//   GET  /                      dist/renderer/index.html with /bridge-client.js added
//   GET  /assets/...            the built UI
//   GET  /bridge-client.js      window.sightline over fetch + SSE
//   POST /api/<method>          JSON array of arguments → {ok, value} | {ok:false, error}
//   GET  /api/progress          Server-Sent Events, one `progress` event per ProgressEvent
//   GET  /media/video/<id>, /media/thumbnail/<id>
// No Electron import: runs under plain Node.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { startEngineHost } from '../engine/host';
import { API_METHODS } from '../engine/contract';
import { describeFailure, dispatchApiCall, type DesktopEngine } from '../main/dispatch';
import { answerMediaRequest, BRIDGE_MEDIA_PREFIX } from '../main/mediaProtocol';
import { BRIDGE_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY } from '../main/security';
import { installBridgeClient } from './client';

export interface BridgeOptions {
  engine: DesktopEngine;
  /** Built UI (dist/renderer). */
  rendererDir: string;
  port?: number;
}

export interface Bridge {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

const CLIENT_JS = `(${installBridgeClient.toString()})(${JSON.stringify(API_METHODS)});\n`;

function send(res: http.ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new Error('request body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves a URL path inside the built UI, refusing anything that escapes it. */
function staticFile(rendererDir: string, urlPath: string): string | null {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const { engine, rendererDir } = opts;
  const sse = new Set<http.ServerResponse>();
  const unsubscribe = engine.onProgress((e) => {
    const frame = `event: progress\ndata: ${JSON.stringify(e)}\n\n`;
    for (const res of sse) res.write(frame);
  });
  let origin = '';

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: describeFailure(e).message });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const p = url.pathname;

    if (p.startsWith('/api/')) {
      if (p === '/api/progress' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        sse.add(res);
        req.on('close', () => sse.delete(res));
        return;
      }
      if (req.method !== 'POST') return json(res, 405, { ok: false, error: 'POST only' });
      // A page from another origin must not drive the engine (CSRF against a local port).
      if (req.headers.origin && req.headers.origin !== origin) return json(res, 403, { ok: false, error: 'cross-origin request refused' });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return json(res, 415, { ok: false, error: 'expected application/json' });
      const method = p.slice('/api/'.length);
      let args: unknown;
      try {
        args = JSON.parse(await readBody(req));
      } catch (e) {
        return json(res, 400, { ok: false, error: `bad JSON body: ${(e as Error).message}` });
      }
      try {
        const value = await dispatchApiCall(engine, method, args);
        return json(res, 200, { ok: true, value: value === undefined ? null : value });
      } catch (e) {
        const f = describeFailure(e);
        return json(res, f.invalid ? 400 : 500, { ok: false, error: f.message });
      }
    }

    if (p.startsWith(BRIDGE_MEDIA_PREFIX)) {
      const a = await answerMediaRequest(engine, { url: p, method: req.method ?? 'GET', range: req.headers.range ?? null });
      res.writeHead(a.status, a.headers);
      if (a.body) a.body.pipe(res);
      else res.end();
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain');
    if (p === '/bridge-client.js') return send(res, 200, CLIENT_JS, STATIC_TYPES['.js']);
    if (p === '/' || p === '/index.html') {
      const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8')
        .replace(CONTENT_SECURITY_POLICY, BRIDGE_CONTENT_SECURITY_POLICY)
        // The client must define window.sightline before the app's module script runs.
        .replace('</head>', '  <script src="/bridge-client.js"></script>\n  </head>');
      return send(res, 200, html, STATIC_TYPES['.html'], { 'Content-Security-Policy': BRIDGE_CONTENT_SECURITY_POLICY });
    }
    const file = staticFile(rendererDir, p);
    if (!file) return send(res, 404, 'not found', 'text/plain');
    return send(res, 200, fs.readFileSync(file), STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    close: async () => {
      unsubscribe();
      for (const res of sse) res.end();
      sse.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `node dist/electron/devbridge/server.js [port]`: the UI at http://127.0.0.1:<port>/ for development. */
if (require.main === module) {
  const engine = startEngineHost();
  const rendererDir = path.resolve(__dirname, '..', '..', 'renderer');
  void startBridge({ engine, rendererDir, port: Number(process.argv[2] ?? 0) }).then((b) => {
    console.log(`Sightline dev bridge: ${b.url}/`);
    const stop = () => void b.close().then(() => engine.close()).then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
