// Loopback bridge for tests and development: serves the built UI to a plain browser, with the same
// API gateway (validation, error codes) and media protocol (Range/206) as Electron main, over HTTP on
// 127.0.0.1. Never shipped in the app package (electron-builder.yml excludes dist/electron/devbridge).
//   GET  /?token=<token>        dist/renderer/index.html with /bridge-client.js added; sets the session cookie
//   GET  /assets/...            the built UI
//   GET  /bridge-client.js      window.sightline over fetch + SSE
//   POST /api/<method>          JSON array of arguments → {ok, value} | {ok:false, error, code}
//   GET  /api/progress          Server-Sent Events, one `progress` event per ProgressEvent
//   GET  /media/video/<id>, /media/thumbnail/<id>
// Every request needs the per-run random token (X-Sightline-Token header, or the HttpOnly cookie the
// page got when it was opened with ?token=), a Host of 127.0.0.1:<port> or localhost:<port> (DNS
// rebinding), and no Origin other than the bridge's own (CSRF from another local page).
// No Electron import: runs under plain Node.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { startEngineHost } from '../engine/host';
import { apiGateway, httpStatus, type DesktopEngine } from '../gateway/dispatch';
import { answerMediaRequest, BRIDGE_MEDIA_PREFIX } from '../gateway/mediaProtocol';
import { staticFile, staticType, STATIC_TYPES } from '../gateway/staticFiles';
import { BRIDGE_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY } from '../main/security';
import { installBridgeClient } from './client';

export interface BridgeOptions {
  engine: DesktopEngine;
  /** Built UI (dist/renderer). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests of the refusal rules); default: 32 random bytes per run. */
  token?: string;
}

export interface Bridge {
  /** http://127.0.0.1:<port>: the origin (requests to it need the token). */
  url: string;
  /** The per-run secret: send it as the X-Sightline-Token header. */
  token: string;
  /** What a browser opens: the UI page with the token, which it exchanges for an HttpOnly cookie. */
  pageUrl: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-sightline-token';
const COOKIE = 'sightline_bridge';
const MAX_BODY = 1024 * 1024;

const CLIENT_JS = `(${installBridgeClient.toString()})();\n`;

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

function sameSecret(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given), b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

/** Why a request is refused (Host, Origin, token), or null when it may proceed. */
export function refusal(req: { host?: string; origin?: string; headerToken?: string; cookieToken?: string; queryToken?: string | null }, port: number, token: string): string | null {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!req.host || !hosts.includes(req.host.toLowerCase())) return 'Host not allowed';
  if (req.origin !== undefined && !hosts.map((h) => `http://${h}`).includes(req.origin.toLowerCase())) return 'cross-origin request refused';
  if (![req.headerToken, req.cookieToken, req.queryToken ?? undefined].some((t) => sameSecret(t, token))) return 'missing or wrong bridge token';
  return null;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const { engine, rendererDir } = opts;
  const token = opts.token ?? randomBytes(32).toString('hex');
  const gateway = apiGateway(engine);
  const sse = new Set<http.ServerResponse>();
  const unsubscribe = engine.onProgress((e) => {
    const frame = `event: progress\ndata: ${JSON.stringify(e)}\n\n`;
    for (const res of sse) res.write(frame);
  });
  let port = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: (e as Error).message, code: 'INTERNAL' });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const p = url.pathname;
    const isPage = (p === '/' || p === '/index.html') && req.method === 'GET';
    const why = refusal({
      host: req.headers.host, origin: req.headers.origin, headerToken: req.headers[TOKEN_HEADER] as string | undefined,
      cookieToken: cookieToken(req), queryToken: isPage ? url.searchParams.get('token') : null,
    }, port, token);
    if (why) {
      const status = why === 'missing or wrong bridge token' ? 401 : 403;
      return json(res, status, { ok: false, error: why, code: status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN' });
    }

    if (p.startsWith('/api/')) {
      if (p === '/api/progress' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        sse.add(res);
        req.on('close', () => sse.delete(res));
        return;
      }
      if (req.method !== 'POST') return json(res, 405, { ok: false, error: 'POST only', code: 'INVALID_ARGUMENT' });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return json(res, 415, { ok: false, error: 'expected application/json', code: 'INVALID_ARGUMENT' });
      let args: unknown;
      try {
        args = JSON.parse(await readBody(req));
      } catch (e) {
        return json(res, 400, { ok: false, error: `bad JSON body: ${(e as Error).message}`, code: 'INVALID_ARGUMENT' });
      }
      const reply = await gateway(p.slice('/api/'.length), args as unknown[]);
      if (reply.ok) return json(res, 200, { ok: true, value: reply.value === undefined ? null : reply.value });
      return json(res, httpStatus(reply.error.code), { ok: false, error: reply.error.message, code: reply.error.code });
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
    if (isPage) {
      const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8')
        .replace(CONTENT_SECURITY_POLICY, BRIDGE_CONTENT_SECURITY_POLICY)
        // The client must define window.sightline before the app's module script runs.
        .replace('</head>', '  <script src="/bridge-client.js"></script>\n  </head>');
      // The token the page was opened with becomes an HttpOnly cookie: the page's fetches, <video> and
      // <img> requests carry it, and no script (the page's or another's) can read it.
      return send(res, 200, html, STATIC_TYPES['.html'], {
        'Content-Security-Policy': BRIDGE_CONTENT_SECURITY_POLICY,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'Referrer-Policy': 'no-referrer',
      });
    }
    const file = staticFile(rendererDir, p);
    if (!file) return send(res, 404, 'not found', 'text/plain');
    return send(res, 200, fs.readFileSync(file), staticType(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    token,
    pageUrl: `${origin}/?token=${token}`,
    close: async () => {
      unsubscribe();
      for (const res of sse) res.end();
      sse.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * `npm run ui [-- --db <case> --port N]` (= `node dist/electron/devbridge/server.js`): the UI in any
 * browser for people without Electron, on the real engine; prints the URL with its token.
 */
if (require.main === module) {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const port = Number(flag('--port') ?? (/^\d+$/.test(argv[0] ?? '') ? argv[0] : 0));
  const db = flag('--db');
  const engine = startEngineHost();
  const rendererDir = path.resolve(__dirname, '..', '..', 'renderer');
  void (db ? engine.openCase(path.resolve(db)) : Promise.resolve()).then(() => startBridge({ engine, rendererDir, port })).then((b) => {
    console.log(`Sightline dev bridge: ${b.pageUrl}`);
    console.log(`API token (header ${TOKEN_HEADER}): ${b.token}`);
    const stop = () => void b.close().then(() => engine.close()).then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
