// The renderer's security posture: CSP, webPreferences, and the page's own CSP meta tag.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BRIDGE_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY, isTrustedSender, SECURE_WEB_PREFERENCES } from '../../electron/main/security';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
  const [name, ...values] = d.split(/\s+/);
  return [name, values] as const;
}));

test('security: CSP allows only local scripts and the media protocol', () => {
  const d = directives(CONTENT_SECURITY_POLICY);
  assert.deepEqual(d.get('default-src'), ["'self'"]);
  assert.deepEqual(d.get('script-src'), ["'self'"]);
  assert.deepEqual(d.get('connect-src'), ["'self'"]);
  assert.deepEqual(d.get('object-src'), ["'none'"]);
  assert.deepEqual(d.get('media-src'), ['media:'], 'video only through the media protocol');
  const bridge = directives(BRIDGE_CONTENT_SECURITY_POLICY);
  assert.deepEqual(bridge.get('media-src'), ["'self'"]);
  assert.deepEqual(bridge.get('script-src'), ["'self'"]);
  for (const [, values] of d) for (const v of values) assert.doesNotMatch(v, /^(https?:|\*|'unsafe-eval')/);
});

test('security: the UI page carries the same CSP', () => {
  const html = fs.readFileSync(path.join(ROOT, 'renderer', 'index.html'), 'utf8');
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(m, 'no CSP meta tag in renderer/index.html');
  assert.equal(m[1], CONTENT_SECURITY_POLICY);
  assert.doesNotMatch(html, /https?:\/\//, 'no remote content in the page');
});

test('security: windows are isolated and sandboxed with no Node integration', () => {
  assert.equal(SECURE_WEB_PREFERENCES.contextIsolation, true);
  assert.equal(SECURE_WEB_PREFERENCES.sandbox, true);
  assert.equal(SECURE_WEB_PREFERENCES.nodeIntegration, false);
  assert.equal(SECURE_WEB_PREFERENCES.webSecurity, true);
  assert.equal(SECURE_WEB_PREFERENCES.webviewTag, false);
});

test('security: only our own page may call the API', () => {
  const ui = 'file:///opt/Sightline/resources/app.asar/dist/renderer/index.html';
  assert.equal(isTrustedSender(ui, ui), true);
  assert.equal(isTrustedSender(`${ui}#/search`, ui), true);
  assert.equal(isTrustedSender('file:///tmp/evil.html', ui), false);
  assert.equal(isTrustedSender('https://example.com/', ui), false);
  assert.equal(isTrustedSender(undefined, ui), false);
});

test('security: preload exposes one object and lists every API method', async () => {
  const src = fs.readFileSync(path.join(ROOT, 'electron', 'preload', 'preload.ts'), 'utf8');
  assert.equal(src.match(/exposeInMainWorld\(/g)?.length, 1);
  const { API_METHODS } = await import('../../electron/engine/contract');
  for (const m of API_METHODS) assert.match(src, new RegExp(`'${m}'`), m);
  assert.doesNotMatch(src, /nodeIntegration|require\(/);
});

test('security: the compiled preload requires nothing but electron (sandboxed preloads cannot load local modules)', () => {
  const js = fs.readFileSync(path.join(__dirname, '..', '..', 'electron', 'preload', 'preload.js'), 'utf8');
  const required = [...js.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ['electron']);
});
