// The loopback bridge refuses every request without the per-run token, with a Host other than
// 127.0.0.1:<port>/localhost:<port> (DNS rebinding) or with another Origin (CSRF), over real HTTP
// on loopback against the real engine; and the API it serves never sets a program to run.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startBridge, type Bridge } from '../../electron/devbridge/server';
import { Engine } from '../../electron/engine/api';
import { tempDir } from '../helpers/cli';

let bridge: Bridge;
let engine: Engine;
let port: number;
let dir: string;

/** A raw request, so the Host header can be anything (fetch will not let a caller set it). */
function request(p: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
  request(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(args) });

before(async () => {
  dir = tempDir('bridge-security');
  const rendererDir = path.join(dir, 'ui');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<html><head></head><body>ui</body></html>');
  engine = new Engine({ settingsFile: path.join(dir, 'settings.json'), user: 'tester' });
  bridge = await startBridge({ engine, rendererDir });
  port = Number(new URL(bridge.url).port);
});

after(async () => {
  await bridge?.close();
  await engine?.close();
});

test('bridge security: the token is random per run and long', async () => {
  assert.match(bridge.token, /^[0-9a-f]{64}$/);
  const other = await startBridge({ engine, rendererDir: path.join(dir, 'ui') });
  try { assert.notEqual(other.token, bridge.token); } finally { await other.close(); }
});

test('bridge security: no token or a wrong token → 401 on the API, the page, media and progress', async () => {
  for (const headers of [{}, { 'X-Sightline-Token': 'wrong' }, { 'X-Sightline-Token': bridge.token.slice(0, -1) + (bridge.token.endsWith('0') ? '1' : '0') }, { Cookie: 'sightline_bridge=nope' }] as Record<string, string>[]) {
    const r = await api('getCase', [], headers);
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.equal(JSON.parse(r.body).code, 'UNAUTHORIZED');
    assert.equal((await request('/', { headers })).status, 401);
    assert.equal((await request('/?token=wrong', { headers })).status, 401);
    assert.equal((await request('/media/video/1', { headers })).status, 401);
    assert.equal((await request('/api/progress', { headers })).status, 401);
  }
  // The token is accepted in the query only for the page, never for the API.
  assert.equal((await request(`/api/getCase?token=${bridge.token}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' })).status, 401);
});

test('bridge security: a Host other than 127.0.0.1:<port> or localhost:<port> → 403, even with the token', async () => {
  const token = { 'X-Sightline-Token': bridge.token };
  for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1.nip.io:${port}`, 'localhost', '127.0.0.1']) {
    const r = await api('getCase', [], { ...token, Host: host });
    assert.equal(r.status, 403, `Host "${host}"`);
  }
  assert.equal((await api('getCase', [], { ...token, Host: `localhost:${port}` })).status, 200);
});

test('bridge security: another Origin → 403, even with the token; the own origin is fine', async () => {
  const token = { 'X-Sightline-Token': bridge.token };
  for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
    const r = await api('getCase', [], { ...token, Origin: origin });
    assert.equal(r.status, 403, origin);
    assert.equal(JSON.parse(r.body).code, 'FORBIDDEN');
  }
  assert.equal((await api('getCase', [], { ...token, Origin: bridge.url })).status, 200);
});

test('bridge security: the page exchanges the token for an HttpOnly SameSite cookie that then authorises the API', async () => {
  const page = await request(`/?token=${bridge.token}`);
  assert.equal(page.status, 200);
  const cookie = String(page.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(page.body, new RegExp(bridge.token), 'the token is not written into the page');
  const r = await api('getCase', [], { Cookie: cookie.split(';')[0] });
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { ok: true, value: null });
});

test('bridge security: programs to run cannot be set over the API; errors carry codes', async () => {
  const token = { 'X-Sightline-Token': bridge.token };
  const evil = path.join(dir, 'evil.sh');
  for (const patch of [{ ffmpegPath: evil }, { ffprobePath: evil }, { ffmpegPath: '' }]) {
    const r = await api('setSettings', [patch], token);
    assert.equal(r.status, 400, JSON.stringify(patch));
    assert.equal(JSON.parse(r.body).code, 'INVALID_ARGUMENT');
  }
  assert.equal((await engine.getSettings()).ffmpegPath, process.env.SIGHTLINE_FFMPEG ?? '');
  // Even if a payload got past validation, the engine refuses it.
  await assert.rejects(engine.setSettings({ ffmpegPath: evil } as never), (e: unknown) => (e as { code?: string }).code === 'FORBIDDEN');
  const noCase = await api('listVideos', [], token);
  assert.equal(noCase.status, 409);
  assert.equal(JSON.parse(noCase.body).code, 'NO_CASE');
  const unknown = await api('mediaFile', [{ kind: 'video', videoId: 1 }], token);
  assert.equal(JSON.parse(unknown.body).code, 'UNKNOWN_METHOD', 'host-only methods are not part of the API');
  assert.equal((await api('setToolPaths', [{ ffmpegPath: evil }], token)).status, 400);
});
