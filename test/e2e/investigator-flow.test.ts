// End to end, as an investigator would: the built UI in headless Chromium, over the loopback bridge,
// on the real engine (real ffmpeg, detector, text-image model, SQLite). Screenshots of every step go
// to test-results/e2e/. No mocks.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { startEngineHost } from '../../electron/engine/host';
import { IVT_CHOSEN_BY_TEXT } from '../../electron/common/contract';
import { DEFAULT_IVT, loadIvtModel } from '../../electron/engine/vision/manifest';
import type { DesktopEngine } from '../../electron/gateway/dispatch';
import { startBridge, type Bridge } from '../../electron/devbridge/server';

// Browser-side names used inside page functions (this file compiles without the DOM lib).
declare const document: any;
type HTMLVideoElement = { currentTime: number; duration: number; readyState: number; seeking: boolean };
type HTMLImageElement = { complete: boolean; naturalWidth: number };

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RENDERER = path.join(ROOT, 'dist', 'renderer');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const SAMPLE = path.join(ROOT, 'resources', 'sample-case', 'sample-street.mp4');
const DESCRIPTION = 'woman in a red jacket with a black backpack';
const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
const INDEX_TIMEOUT_MS = Number(process.env.SIGHTLINE_E2E_INDEX_TIMEOUT_MS ?? 15 * 60_000);

let work: string;
let engine: DesktopEngine;
let bridge: Bridge;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

/** The footage to import: the bundled sample street scene, else a generated fixture clip. */
async function footage(): Promise<string> {
  if (process.env.SIGHTLINE_E2E_VIDEO) return path.resolve(process.env.SIGHTLINE_E2E_VIDEO);
  // A real clip, not a placeholder left by a half-finished sample generation.
  if (fs.existsSync(SAMPLE) && fs.statSync(SAMPLE).size > 10_000) {
    // A private copy: the sample is re-rendered from time to time and must not change mid-test.
    const copy = path.join(work, 'footage', 'sample-street.mp4');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(SAMPLE, copy);
    return copy;
  }
  console.warn(`${SAMPLE} is missing: importing a generated clip of moving boxes, which holds no people to find`);
  const { makeTestVideo } = require('../fixtures/videos') as typeof import('../fixtures/videos');
  return makeTestVideo(work, { name: 'street.mp4', durationS: 8, fps: 10, width: 640, height: 360, figures: 2, creationTime: '2024-05-01T14:03:00Z' });
}

before(async () => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'dist/renderer is missing: run `npm run build:renderer` first');
  fs.mkdirSync(SHOTS, { recursive: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-e2e-'));
  // SIGHTLINE_E2E_IVT_MODEL: another model folder, for trying the flow while the shipped model is rebuilt.
  // The engine as Electron main runs it: in its own worker thread, reached by messages.
  engine = startEngineHost({ settingsFile: path.join(work, 'settings.json'), keyDir: path.join(work, 'signing-key'), ivtModel: process.env.SIGHTLINE_E2E_IVT_MODEL || undefined });
  bridge = await startBridge({ engine, rendererDir: RENDERER });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // Nothing may leave the loopback bridge.
  await context.route((url) => !url.toString().startsWith(bridge.url), (route) => {
    problems.push(`request outside the app: ${route.request().url()}`);
    return route.abort();
  });
  page = await context.newPage();
  page.on('console', (m: ConsoleMessage) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
});

after(async () => {
  await browser?.close();
  await bridge?.close();
  await engine?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('investigator flow: case → import → index → search → player → bookmark', { timeout: INDEX_TIMEOUT_MS + 5 * 60_000 }, async () => {
  try {
    await investigatorFlow();
  } catch (e) {
    await shot('failure').catch(() => undefined);
    throw e;
  }
});

async function investigatorFlow(): Promise<void> {
  const video = await footage();

  await page.goto(bridge.pageUrl);
  await page.getByRole('form', { name: 'New case' }).waitFor();
  await shot('01-start');

  // Case
  await page.getByLabel('Case file path', { exact: true }).fill(path.join(work, 'case 0173.sightline'));
  await page.getByLabel('Case number', { exact: true }).fill('2024-0173');
  await page.getByLabel('Investigator name', { exact: true }).fill('DC A. Jones');
  await page.getByLabel('Case title', { exact: true }).fill('Robbery, High Street');
  await page.getByRole('button', { name: 'Create case' }).click();
  await page.getByRole('region', { name: 'Import footage' }).waitFor();
  assert.match(await page.locator('.case-chip').innerText(), /2024-0173/);
  await shot('02-case-created');

  // Import and index
  await page.getByLabel('Paths to import', { exact: true }).fill(video);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const row = page.getByTestId('video-row').first();
  await row.waitFor();
  await shot('03-importing');
  const t0 = Date.now();
  let midShot = false;
  for (;;) {
    const status = await row.getAttribute('data-status');
    if (status === 'done') break;
    assert.notEqual(status, 'failed', `indexing failed: ${await row.innerText()}`);
    if (await page.getByTestId('import-error').isVisible()) assert.fail(`import failed: ${await page.getByTestId('import-error').innerText()}`);
    assert.ok(Date.now() - t0 < INDEX_TIMEOUT_MS, `indexing did not finish in ${INDEX_TIMEOUT_MS / 1000} s (status ${status})`);
    if (!midShot && status === 'indexing' && Number(await page.getByRole('progressbar').first().getAttribute('aria-valuenow')) > 0) {
      await shot('04-indexing-progress');
      midShot = true;
    }
    await page.waitForTimeout(250);
  }
  await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('import-report').innerText(), /indexed 1 video\b/);
  // Camera name and clock correction: every time shown afterwards is corrected.
  await page.getByLabel(/^Camera name for/).fill('Cam 3 High St');
  await page.getByLabel(/^Camera name for/).press('Enter');
  // ISO 8601 24-hour with a time zone (the field refuses a bare local time: ambiguous evidence).
  await page.getByLabel(/^True start time of/).fill('2024-05-01T14:03:00');
  await page.getByRole('button', { name: /^Set true start time of/ }).click();
  assert.match(await page.getByRole('alert').filter({ hasText: /time zone/ }).innerText(), /Add the time zone/);
  await page.getByLabel(/^True start time of/).fill('2024-05-01T14:03:00+01:00');
  await page.getByRole('button', { name: /^Set true start time of/ }).click();
  await page.getByRole('button', { name: /^Clear clock correction of/ }).waitFor();
  await shot('05-indexed');

  // Search
  await page.keyboard.press('/');
  await page.getByLabel('Description of the person', { exact: true }).waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-text', '/ focuses the description box');
  await page.keyboard.type(DESCRIPTION);
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: 'Results' }).waitFor();
  const hits = page.getByTestId('hit');
  await hits.first().waitFor({ timeout: 60_000 }).catch(() => undefined);
  const count = await hits.count();
  // Every thumbnail in view has arrived before the picture is taken.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=hit] img')].slice(0, 8).every((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), undefined, { timeout: 15_000 }).catch(() => undefined);
  await shot('06-results');
  assert.ok(count > 0, `no sightings for "${DESCRIPTION}": ${await page.getByRole('region', { name: 'Results' }).innerText()}`);
  // Thumbnails really load through the media route.
  await page.waitForFunction(() => { const img = document.querySelector('[data-testid=hit] img') as HTMLImageElement | null; return !!img && img.complete && img.naturalWidth > 0; }, undefined, { timeout: 15_000 });
  assert.match(await hits.first().innerText(), /Cam 3 High St/);
  assert.match(await hits.first().innerText(), /2024-05-01 \d\d:0[3-9]:\d\d [+-]\d\d:\d\d|2024-05-01 \d\d:[1-5]\d:\d\d [+-]\d\d:\d\d/, 'corrected wall-clock time shown, ISO 24-hour with the offset');
  assert.ok(await page.getByRole('figure', { name: 'Timeline of sightings per camera' }).isVisible());
  // The interpretation is shown above the results; each card has a confidence badge and evidence chips.
  assert.match(await page.getByTestId('interpretation').innerText(), /Understood: .*woman.*red jacket.*black backpack/);
  assert.match(await hits.first().getByTestId('confidence').innerText(), /^(strong|possible|weak)$/i);
  const chips = await hits.first().getByTestId('evidence-chip').allInnerTexts();
  assert.ok(chips.some((c) => /^red jacket [✓✗]$/.test(c)) && chips.some((c) => /^woman [✓✗]$/.test(c)), chips.join(' · '));
  // A person who is not in the footage: the "no strong match" banner, no strong badge.
  await page.getByLabel('Description of the person', { exact: true }).fill('man in a green top and purple trousers');
  await page.getByLabel('Description of the person', { exact: true }).press('Enter');
  // (the banner may already be up for the previous description: wait for this one's interpretation first)
  await page.getByTestId('interpretation').filter({ hasText: 'green top' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('no-strong-match').waitFor({ timeout: 60_000 });
  await shot('06b-no-strong-match');
  assert.equal(await page.locator('.confidence-strong').count(), 0);
  await page.getByLabel('Description of the person', { exact: true }).fill(DESCRIPTION);
  await page.getByLabel('Description of the person', { exact: true }).press('Enter');
  await page.getByTestId('interpretation').filter({ hasText: 'red jacket' }).waitFor({ timeout: 60_000 });
  await hits.first().waitFor();

  // Player at the sighting
  await hits.first().getByRole('button', { name: /^Open sighting 1/ }).click();
  const videoEl = page.getByTestId('player-video');
  await videoEl.waitFor();
  await page.waitForFunction(() => { const v = document.querySelector('[data-testid=player-video]') as HTMLVideoElement | null; return !!v && v.readyState >= 2 && !v.seeking; }, undefined, { timeout: 30_000 });
  const at = await videoEl.evaluate((v: HTMLVideoElement) => v.currentTime);
  assert.ok(await page.getByTestId('player-bbox').isVisible(), 'bounding box drawn over the video');
  await shot('07-player');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('l');
  await page.waitForFunction((t0s) => { const v = document.querySelector('[data-testid=player-video]') as HTMLVideoElement | null; return !!v && !v.seeking && Math.abs(v.currentTime - t0s) > 0.5; }, at, { timeout: 15_000 })
    .catch(() => undefined);
  const after5 = await videoEl.evaluate((v: HTMLVideoElement) => ({ t: v.currentTime, d: v.duration }));
  assert.ok(Math.abs(after5.t - Math.min(at + 5, after5.d)) < 0.6, `l seeks +5 s (from ${at} to ${after5.t}, duration ${after5.d})`);
  await page.keyboard.press('ArrowLeft');
  await page.waitForTimeout(300);
  const stepped = await videoEl.evaluate((v: HTMLVideoElement) => v.currentTime);
  assert.ok(stepped < after5.t && after5.t - stepped < 0.6, `← steps one frame back (${after5.t} → ${stepped})`);

  // n / p step through the ranked list without leaving the player.
  if (count > 1) {
    await page.keyboard.press('n');
    await page.getByTestId('player-position').filter({ hasText: `2 / ${count}` }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('p');
    await page.getByTestId('player-position').filter({ hasText: `1 / ${count}` }).waitFor({ timeout: 5_000 });
  }

  // Bookmark with a note
  await page.keyboard.press('b');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Bookmark note');
  await page.keyboard.type('Suspect passes the bakery, backpack visible');
  await page.keyboard.press('Enter');
  await page.getByText('Bookmarked.').waitFor();
  // More like this (m): the person's other sightings, found from the picture instead of words.
  await page.keyboard.press('Escape');
  await page.keyboard.press('m');
  await page.getByRole('heading', { name: /More like sighting ID \d+/ }).waitFor({ timeout: 60_000 });
  assert.ok(await hits.count() > 0, 'more like this finds sightings');
  await shot('08-more-like-this');

  await page.getByRole('tab', { name: /Bookmarks/ }).click();
  const bookmark = page.getByTestId('bookmark').first();
  await bookmark.waitFor();
  assert.equal(await bookmark.getByTestId('bookmark-note').inputValue(), 'Suspect passes the bakery, backpack visible');
  await shot('09-bookmarks');

  // Evidence export of the bookmark (clips, stills, report) into the case's evidence folder.
  await page.getByRole('button', { name: 'Export all bookmarks' }).click();
  await page.getByTestId('export-report').waitFor({ timeout: 180_000 });
  assert.match(await page.getByTestId('export-report').innerText(), /Exported 1 item/);
  await shot('10-exported');

  // Settings show the model and execution provider in use.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByTestId('execution-provider').waitFor();
  assert.match(await page.getByTestId('execution-provider').innerText(), /CPU|GPU/);
  // The text–image model in use, and who chose it: the case keeps the model it was indexed with.
  const ivtRow = await page.locator('dt:text-is("Text–image model") + dd').innerText();
  const ivt = loadIvtModel(process.env.SIGHTLINE_E2E_IVT_MODEL || DEFAULT_IVT);
  assert.ok(ivtRow.startsWith(`${ivt.id} ${ivt.version} · `), ivtRow);
  assert.ok(ivtRow.endsWith(` · ${IVT_CHOSEN_BY_TEXT[process.env.SIGHTLINE_E2E_IVT_MODEL ? 'setting' : 'case']}`), ivtRow);
  // Programs to run (ffmpeg, ffprobe) are not typed into the page: outside the desktop app they are only shown.
  assert.equal(await page.getByLabel('ffmpeg path').count(), 1);
  assert.equal(await page.locator('input[aria-label="ffmpeg path"]').count(), 0);
  await shot('11-settings');

  // The installation's signing key: Settings shows the fingerprint the exported bundle is signed with.
  const fingerprint = await page.getByTestId('key-fingerprint').innerText();
  assert.match(fingerprint, /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  const evidenceDir = (await engine.getCase())!.evidenceDir;
  const exported = fs.readdirSync(evidenceDir, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f) === 'manifest.json');
  assert.equal(exported.length, 1, `one bundle in ${evidenceDir}`);
  assert.equal((JSON.parse(fs.readFileSync(path.join(evidenceDir, exported[0]), 'utf8')) as { signer: { fingerprint: string } }).signer.fingerprint, fingerprint);

  // Who investigates: renamed on the Case page (audited); later entries carry the new name.
  await page.getByRole('tab', { name: 'Case' }).click();
  await page.getByLabel('Open case investigator', { exact: true }).fill('DS Анна Петрова');
  await page.getByRole('button', { name: 'Save case details' }).click();
  await page.getByText('Saved (recorded in the audit log).').waitFor();
  assert.equal((await engine.getCase())!.investigator, 'DS Анна Петрова');
  await shot('12-case-details');

  assert.deepEqual(problems, [], 'no console errors, CSP violations or outside requests');
}

test('bridge: media route answers ranges and serves only imported files; bad payloads are refused', async () => {
  const videos = await engine.listVideos();
  assert.ok(videos.length > 0);
  const id = videos[0].id;
  const auth = { 'X-Sightline-Token': bridge.token };
  // Without the token nothing is served, not even the media the page itself can load.
  assert.equal((await fetch(`${bridge.url}/media/video/${id}`)).status, 401);
  const part = await fetch(`${bridge.url}/media/video/${id}`, { headers: { ...auth, Range: 'bytes=0-99' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 0-99/${videos[0].sizeBytes}`);
  assert.equal((await part.arrayBuffer()).byteLength, 100);
  const tail = await fetch(`${bridge.url}/media/video/${id}`, { headers: { ...auth, Range: 'bytes=-10' } });
  assert.equal(tail.status, 206);
  assert.equal((await tail.arrayBuffer()).byteLength, 10);
  assert.equal((await fetch(`${bridge.url}/media/video/${id}`, { headers: { ...auth, Range: 'bytes=0-1,5-6' } })).status, 416);
  assert.equal((await fetch(`${bridge.url}/media/video/${id + 1000}`, { headers: auth })).status, 404);
  assert.equal((await fetch(`${bridge.url}/media/video/..%2f..%2fetc%2fpasswd`, { headers: auth })).status, 404);
  assert.equal((await fetch(`${bridge.url}/../../etc/passwd`, { headers: auth })).status, 404);

  const post = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${bridge.url}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth, ...headers }, body: JSON.stringify(body) });
  const ok = await post('listVideos', []);
  assert.equal(ok.status, 200);
  assert.equal(((await ok.json()) as { value: unknown[] }).value.length, videos.length);
  const bad = await post('search', [{ text: 'man', drop: 'tables' }]);
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /unknown key "drop"/);
  assert.equal((await post('openCase', ['relative.sightline'])).status, 400);
  assert.equal((await post('exec', [])).status, 400);
  assert.equal((await post('status', [], { Origin: 'http://evil.example' })).status, 403);
});

test('library: a file that is not a video gets a clear per-file error', async () => {
  const { makeTextFile } = require('../fixtures/videos') as typeof import('../fixtures/videos');
  const bogus = makeTextFile(work, 'camera 9 export.mp4');
  await page.getByRole('tab', { name: /Library/ }).click();
  await page.getByLabel('Paths to import', { exact: true }).fill(bogus);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // The job's report names the file and the reason; the video that was fine stays done.
  await page.waitForFunction((p: string) => {
    const r = document.querySelector('[data-testid=import-report]');
    return !!r && r.textContent.includes(p);
  }, bogus, { timeout: 60_000 }).catch(() => undefined);
  const text = await page.getByTestId('import-report').innerText().catch(async () => page.getByTestId('import-error').innerText());
  await shot('12-import-failure');
  assert.match(text, /failed/i);
  assert.ok(text.includes(bogus), `the failing file is named: ${text}`);
  assert.equal(await page.getByTestId('video-row').first().getAttribute('data-status'), 'done');
});
