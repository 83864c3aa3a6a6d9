// The renderer's security posture: CSP, webPreferences, and the page's own CSP meta tag.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BRIDGE_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY, EXTERNAL_LINK_ALLOWLIST, isAllowedExternalUrl, isAllowedRequest, isTrustedSender, RENDERER_URL,
  SECURE_WEB_PREFERENCES,
} from '../../electron/main/security';

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

test('security: preload exposes one object; the API method list lives only in the contract', async () => {
  const src = fs.readFileSync(path.join(ROOT, 'electron', 'preload', 'preload.ts'), 'utf8');
  assert.equal(src.match(/exposeInMainWorld\(/g)?.length, 1);
  assert.doesNotMatch(src, /nodeIntegration|require\(/);
  // Every API call goes over the one RPC channel (validated in main); the renderer's proxy takes the
  // method names from the contract, so the preload cannot drift from it.
  const { API_METHODS } = await import('../../electron/common/contract');
  for (const m of API_METHODS) assert.doesNotMatch(src, new RegExp(`'${m}'`), `${m} is not listed in the preload`);
  const desktop = await import('../../electron/common/desktop');
  for (const c of [desktop.RPC_CHANNEL, desktop.PROGRESS_CHANNEL, desktop.DESKTOP_PREFIX]) assert.ok(src.includes(`'${c}'`), c);
  for (const c of desktop.DESKTOP_CHANNELS) assert.ok(src.includes(`'${c}'`), c);
});

test('security: the UI is served from app://, and only it (with media:) may load in the window', () => {
  assert.equal(RENDERER_URL, 'app://sightline/index.html');
  assert.equal(isTrustedSender('app://sightline/index.html#/search'), true);
  assert.equal(isTrustedSender('file:///opt/Sightline/resources/app.asar/dist/renderer/index.html'), false);
  assert.equal(isTrustedSender('app://other/index.html'), false);
  for (const ok of ['app://sightline/assets/index.js', 'media://video/1', 'data:image/png;base64,AA==']) assert.equal(isAllowedRequest(ok), true, ok);
  for (const bad of ['file:///etc/passwd', 'https://example.com/', 'http://127.0.0.1:8080/', 'app://evil/x', 'chrome-extension://x/y']) assert.equal(isAllowedRequest(bad), false, bad);
});

test('security: external links open only when allow-listed, exactly, over https', () => {
  assert.deepEqual(EXTERNAL_LINK_ALLOWLIST, []);
  for (const u of ['https://example.com/', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'ms-settings:', 'not a url']) assert.equal(isAllowedExternalUrl(u), false, u);
  const list = ['https://docs.example.org/sightline/'];
  assert.equal(isAllowedExternalUrl('https://docs.example.org/sightline/', list), true);
  for (const u of ['https://docs.example.org/sightline/x', 'http://docs.example.org/sightline/', 'https://user:pw@docs.example.org/sightline/']) assert.equal(isAllowedExternalUrl(u, list), false, u);
});

test('security: the compiled preload requires nothing but electron (sandboxed preloads cannot load local modules)', () => {
  const js = fs.readFileSync(path.join(__dirname, '..', '..', 'electron', 'preload', 'preload.js'), 'utf8');
  const required = [...js.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ['electron']);
});
