// Footage Chromium cannot play (AVI/MS-MPEG4, MJPEG, H.265, odd-size rotated MPEG-4, VFR MJPEG/MKV, and the
// real vtest.avi when installed) played in headless Chromium through the app's media route: the engine
// makes the proxies in the background after the case opens; each reaches `canplay` and seeks to a
// given original frame time (currentTime within one frame, and the picture shows that frame). Then the
// player itself on vtest.avi, indexed for real: proxy in use, the box moving between detections, the
// enlarged crop. Screenshots in test-results/e2e/.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { VideoInfo } from '../../electron/common/contract';
import { startEngineHost } from '../../electron/engine/host';
import type { DesktopEngine } from '../../electron/gateway/dispatch';
import { startBridge, type Bridge } from '../../electron/devbridge/server';
import { importWithoutIndexing, makeUnplayableClips, VTEST, type UnplayableClip } from '../fixtures/proxyCase';
import { ffprobeFrameTimes } from '../fixtures/videos';

declare const document: any;

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RENDERER = path.join(ROOT, 'dist', 'renderer');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';

let work: string;
let engine: DesktopEngine;
let bridge: Bridge;
let browser: Browser;
let page: Page;
let clips: UnplayableClip[] = [];
let caseFile: string;
const problems: string[] = [];

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-e2e-play-'));
  const made = makeUnplayableClips(work);
  for (const s of made.skipped) console.log(`skipped: ${s}`);
  clips = made.clips;
  const { db } = await importWithoutIndexing(work, clips.map((c) => c.file));
  caseFile = db.name;
  db.close();
  engine = startEngineHost({ settingsFile: path.join(work, 'settings.json') });
  bridge = await startBridge({ engine, rendererDir: RENDERER });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-component-update'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route((url) => !url.toString().startsWith(bridge.url), (route) => { problems.push(`outside request ${route.request().url()}`); return route.abort(); });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await bridge?.close();
  await engine?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function waitForProxies(n: number, timeoutMs: number): Promise<VideoInfo[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const vs = await engine.listVideos();
    const states = vs.map((v) => v.playback.state);
    if (vs.length >= n && states.every((s) => s === 'ready' || s === 'native' || s === 'failed')) return vs;
    if (Date.now() > until) assert.fail(`proxies not ready after ${timeoutMs} ms: ${states.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Loads `src` in a <video> in the app page, waits for canplay, seeks to `t`; returns what the element reports. */
async function playAndSeek(src: string, t: number): Promise<{ canplay: boolean; currentTime: number; w: number; h: number; error: string | null; redX: number | null }> {
  return page.evaluate(async ({ src, t }) => {
    const v = document.createElement('video');
    v.muted = true;
    v.preload = 'auto';
    document.body.appendChild(v);
    const canplay = await new Promise<boolean>((resolve) => {
      v.addEventListener('canplay', () => resolve(true), { once: true });
      v.addEventListener('error', () => resolve(false), { once: true });
      v.src = src;
      setTimeout(() => resolve(false), 20000);
    });
    if (!canplay) { const err = v.error ? `${v.error.code} ${v.error.message}` : 'timeout'; v.remove(); return { canplay, currentTime: -1, w: 0, h: 0, error: err, redX: null }; }
    const seeked = await new Promise<boolean>((resolve) => { v.addEventListener('seeked', () => resolve(true), { once: true }); v.currentTime = t; setTimeout(() => resolve(false), 10000); });
    if (!seeked) { v.remove(); return { canplay, currentTime: -2, w: 0, h: 0, error: 'seek did not finish', redX: null }; }
    // The seeked frame painted (headless Chromium may not call requestVideoFrameCallback for a paused element).
    await new Promise<void>((resolve) => { v.requestVideoFrameCallback?.(() => resolve()); setTimeout(resolve, 500); });
    // Where the moving red box of the fixture is in the row through its middle (null when not found).
    const c = document.createElement('canvas');
    c.width = v.videoWidth; c.height = v.videoHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(v, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let sum = 0, n = 0;
    for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) {
      const i = (y * c.width + x) * 4;
      if (px[i] > 200 && px[i + 1] < 60 && px[i + 2] < 60) { sum += x; n++; }
    }
    const out = { canplay, currentTime: v.currentTime, w: v.videoWidth, h: v.videoHeight, error: null, redX: n > 50 ? sum / n : null };
    v.remove();
    return out;
  }, { src, t });
}

test('every unplayable format plays from its proxy in Chromium and seeks frame-accurately', { timeout: 8 * 60_000 }, async () => {
  const t0 = Date.now();
  await engine.openCase(caseFile);
  const videos = await waitForProxies(clips.length, 4 * 60_000);
  console.log(`proxies for ${clips.length} clips made in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.goto(bridge.pageUrl);
  await page.getByRole('tab', { name: /Library/ }).waitFor();
  for (const [i, c] of clips.entries()) {
    const v = videos[i];
    assert.equal(v.playback.state, 'ready', `${c.name}: ${v.playback.error ?? ''}`);
    const times = ffprobeFrameTimes(c.file);
    const target = times[Math.floor(times.length * 0.6)];
    const r = await playAndSeek(`/media/proxy/${v.id}`, target);
    console.log(`${c.name}: ${JSON.stringify(r)} target ${target}`);
    assert.ok(r.canplay, `${c.name}: the proxy does not play (${r.error})`);
    assert.ok(Math.abs(r.currentTime - target) <= 1 / c.fps, `${c.name}: seek to ${target} landed at ${r.currentTime}`);
    assert.equal(r.w, c.displayW + (c.displayW % 2), `${c.name}: picture width`);
    assert.equal(r.h, c.displayH + (c.displayH % 2), `${c.name}: picture height`);
    if (c.name === 'AVI/MS-MPEG4') {
      // The fixture's red box (on grey) is at x = (90·t mod 300) + 15 at its centre: the frame shown is the frame asked for.
      const expected = ((90 * target) % 300) + 15;
      assert.ok(r.redX !== null && Math.abs(r.redX - expected) < 90 / c.fps / 2, `${c.name}: red box at ${r.redX}, expected ${expected} (frame at ${target})`);
    }
    // The original of an AVI is not something Chromium plays: that is why the proxy exists.
    if (c.name === 'AVI/MS-MPEG4') assert.equal((await playAndSeek(`/media/video/${v.id}`, 0)).canplay, false, 'Chromium plays AVI/MS-MPEG4 natively now: revisit video/playable.ts');
  }
  // Anything that is not a ready proxy of this case is refused.
  assert.equal((await page.request.get(`${bridge.url}/media/proxy/999`)).status(), 404);
  assert.deepEqual(problems, []);
});

test('the player on real CCTV (vtest.avi): proxy, box moving between detections, enlarged crop', { timeout: 20 * 60_000, skip: fs.existsSync(VTEST) ? false : `${VTEST} not installed (Debian opencv-doc)` }, async () => {
  const copy = path.join(work, 'cctv', 'vtest.avi');
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.copyFileSync(VTEST, copy);
  const report = await engine.importPaths({ paths: [copy], fps: 1 });
  assert.equal(report.failed.length, 0, JSON.stringify(report.failed));
  await waitForProxies(clips.length + 1, 4 * 60_000);
  await page.goto(bridge.pageUrl);
  await page.getByRole('tab', { name: /Search/ }).click();
  await page.getByLabel('Description of the person', { exact: true }).fill('man in a dark jacket');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('region', { name: 'Results' }).waitFor();
  // The longest sighting of vtest among the hits: its box has the most detections to move between.
  const hits = page.getByTestId('hit');
  await hits.first().waitFor();
  const vtestId = (await engine.listVideos()).find((v) => v.path === copy)!.id;
  const result = await engine.search({ text: 'man in a dark jacket', top: 100, videoIds: [vtestId] });
  assert.ok(result.hits.length > 0, 'no sightings in vtest.avi');
  const long = result.hits.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  const track = await engine.getTrack(long.sighting);
  assert.ok(track.points.length >= 3, `sighting ${long.sighting} has ${track.points.length} detections`);
  const rank = (await engine.search({ text: 'man in a dark jacket', top: 100 })).hits.findIndex((h) => h.sighting === long.sighting);
  await hits.nth(rank).getByRole('button', { name: /^Open sighting/ }).click();
  const videoEl = page.getByTestId('player-video');
  await videoEl.waitFor();
  assert.equal(await videoEl.getAttribute('data-playback'), 'ready');
  assert.match(await page.getByTestId('player-playback').innerText(), /playable copy \(avi container, msmpeg4v\d codec/);
  await page.waitForFunction(() => document.querySelector('[data-testid="player-video"]').readyState >= 3, null, { timeout: 30_000 });
  // A moment half-way between two detections, away from the representative frame.
  const [a, b] = [track.points[1], track.points[2]];
  const mid = (a.t + b.t) / 2;
  await page.evaluate((t) => { document.querySelector('[data-testid="player-video"]').currentTime = t; }, mid);
  await page.waitForFunction((t) => Math.abs(document.querySelector('[data-testid="player-video"]').currentTime - t) < 0.2 && !document.querySelector('[data-testid="player-video"]').seeking, mid);
  await page.getByTestId('player-bbox').waitFor();
  const geo = await page.evaluate(() => {
    const v = document.querySelector('[data-testid="player-video"]');
    const box = document.querySelector('[data-testid="player-bbox"]').getBoundingClientRect();
    const vr = v.getBoundingClientRect();
    const s = Math.min(vr.width / v.videoWidth, vr.height / v.videoHeight);
    const left = vr.left + (vr.width - v.videoWidth * s) / 2;
    const top = vr.top + (vr.height - v.videoHeight * s) / 2;
    return { cx: (box.left + box.width / 2 - left) / s, cy: (box.top + box.height / 2 - top) / s, t: v.currentTime };
  });
  const ca = a.bbox[0] + a.bbox[2] / 2, cb = b.bbox[0] + b.bbox[2] / 2;
  assert.ok(geo.cx > Math.min(ca, cb) - 2 && geo.cx < Math.max(ca, cb) + 2, `box centre x ${geo.cx} not between detections ${ca} and ${cb}`);
  // The enlarged crop shows picture, not an empty panel.
  const lit = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="player-crop"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 17) + Math.abs(d[i + 1] - 17) + Math.abs(d[i + 2] - 17) > 30) n++;
    return n / (d.length / 4);
  });
  assert.ok(lit > 0.2, `enlarged crop mostly empty (${(lit * 100).toFixed(0)} % lit)`);
  await page.getByLabel('Show trail').check();
  await page.screenshot({ path: path.join(SHOTS, 'playback-vtest-player.png') });
  assert.deepEqual(problems, []);
});

test('review in the UI: separate axes without a clock, ISO clock correction, reject, bulk bookmark, paging, relink refusal', { timeout: 5 * 60_000, skip: fs.existsSync(VTEST) ? false : `${VTEST} not installed (Debian opencv-doc)` }, async () => {
  await page.goto(bridge.pageUrl);
  await page.getByRole('tab', { name: /Search/ }).click();
  await page.getByLabel('Description of the person', { exact: true }).fill('man in a dark jacket');
  await page.getByLabel('Results per page').fill('5');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('region', { name: 'Results' }).waitFor();
  const hits = page.getByTestId('hit');
  await hits.first().waitFor();
  assert.equal(await hits.count(), 5);
  // Cameras without a clock: each on its own axis of time into its footage, never one shared 0:00.
  const axes = page.getByTestId('timeline-axis');
  const cams = new Set((await engine.search({ text: 'man in a dark jacket', top: 5 })).hits.map((h) => h.camera));
  assert.equal(await axes.count(), cams.size);
  assert.equal(await page.locator('[data-testid="timeline-axis"][data-axis="wall"]').count(), 0);
  // Paging past the first page.
  await page.getByRole('button', { name: 'Load more results' }).click();
  await hits.nth(9).waitFor();
  assert.equal(await hits.count(), 10);
  // Reject the first result: gone from the list now and from the next search.
  const victim = Number(await hits.first().getAttribute('data-sighting'));
  await hits.first().getByRole('button', { name: /^Mark sighting 1 not a person/ }).click();
  await page.getByTestId('search-notice').filter({ hasText: 'not a person' }).waitFor();
  assert.equal(await page.locator(`[data-testid="hit"][data-sighting="${victim}"]`).count(), 0);
  // Bulk bookmark two results.
  await page.getByLabel('Select sighting 1').check();
  await page.getByLabel('Select sighting 2').check();
  await page.getByRole('button', { name: 'Bookmark selected' }).click();
  await page.getByTestId('search-notice').filter({ hasText: 'Bookmarked 2 sightings' }).waitFor();
  assert.equal((await engine.listBookmarks()).length, 2);
  await page.screenshot({ path: path.join(SHOTS, 'review-search.png') });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('region', { name: 'Results' }).waitFor();
  await hits.first().waitFor();
  assert.equal(await page.locator(`[data-testid="hit"][data-sighting="${victim}"]`).count(), 0, 'rejected result hidden from the next search');

  // Library: the clock correction is ISO 8601 24-hour with a zone; the moved-file relink refuses another file.
  await page.getByRole('tab', { name: /Library/ }).click();
  const vtestRow = page.getByTestId('video-row').filter({ hasText: 'vtest.avi' });
  assert.match(await vtestRow.getByTestId('video-playback').innerText(), /playable copy .*MB/);
  await vtestRow.getByLabel('True start time of vtest.avi', { exact: true }).fill('2013-06-01 9:30');
  await vtestRow.getByRole('button', { name: 'Set true start time of vtest.avi' }).click();
  await vtestRow.getByRole('alert').filter({ hasText: 'ISO 8601' }).waitFor();
  await vtestRow.getByLabel('True start time of vtest.avi', { exact: true }).fill('2013-06-01T09:30:00+01:00');
  await vtestRow.getByRole('button', { name: 'Set true start time of vtest.avi' }).click();
  await vtestRow.getByRole('button', { name: 'Clear clock correction of vtest.avi' }).waitFor();
  assert.match(await vtestRow.innerText(), /2013-06-01 \d\d:30:00 [+-]\d\d:\d\d/);
  await vtestRow.getByRole('button', { name: 'Relink moved file vtest.avi' }).click();
  await vtestRow.getByLabel('New path of vtest.avi', { exact: true }).fill(clips[0].file);
  await vtestRow.getByRole('button', { name: 'Relink vtest.avi', exact: true }).click();
  await vtestRow.getByRole('alert').filter({ hasText: 'not the imported file' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'review-library.png') });

  // Now the cctv camera has a clock: it moves to the wall-clock axis; the clip cameras keep their own axes.
  await page.getByRole('tab', { name: /Search/ }).click();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('[data-testid="timeline-axis"][data-axis="wall"]').waitFor();
  assert.match(await page.locator('[data-testid="timeline-axis"][data-axis="wall"]').innerText(), /wall clock, 2013-06-01 \(UTC[+-]\d\d:\d\d\)/);
  await page.screenshot({ path: path.join(SHOTS, 'review-timeline.png') });
  // Wall-clock From/To once every camera's clock is known: the clip cameras get one too.
  for (const c of clips) {
    const row = page.getByTestId('video-row').filter({ hasText: path.basename(c.file) });
    await page.getByRole('tab', { name: /Library/ }).click();
    await row.getByLabel(`True start time of ${path.basename(c.file)}`, { exact: true }).fill('2013-06-01T09:00:00+01:00');
    await row.getByRole('button', { name: `Set true start time of ${path.basename(c.file)}`, exact: true }).click();
    await row.getByRole('button', { name: `Clear clock correction of ${path.basename(c.file)}`, exact: true }).waitFor();
  }
  await page.getByRole('tab', { name: /Search/ }).click();
  await page.getByLabel(/^From \(wall clock/).fill('2013-06-01T09:30:30+01:00');
  await page.getByLabel(/^To \(wall clock/).fill('2013-06-01T09:30:40+01:00');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('region', { name: 'Results' }).waitFor();
  const inRange = (await engine.search({ text: 'man in a dark jacket', top: 5, fromWall: '2013-06-01T09:30:30+01:00', toWall: '2013-06-01T09:30:40+01:00' })).hits;
  assert.ok(inRange.length > 0);
  for (const h of inRange) assert.ok(h.start <= 40 && h.end >= 30, `${h.start}–${h.end}`);
  await page.locator(`[data-testid="hit"][data-sighting="${inRange[0].sighting}"]`).waitFor();
  assert.equal(await hits.count(), inRange.length);
  // Settings: embeddings of the model in use (not 0), and the proxies made with their size.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByTestId('embeddings').waitFor();
  assert.ok(Number(await page.getByTestId('embeddings').innerText()) > 0, 'Embeddings 0');
  assert.match(await page.getByTestId('proxies').innerText(), new RegExp(`^${clips.length + 1} made, [\\d.]+ MB`));
  await page.screenshot({ path: path.join(SHOTS, 'review-settings.png') });
  assert.deepEqual(problems, []);
});
