// "Same person" end to end in headless Chromium on the real engine: a case of two cameras (the sample
// street scene, and a remuxed copy of it on a second camera whose clock runs 2 minutes later) is indexed,
// a search result's "Same person" action is clicked, and the follow timeline must show that person on
// both cameras in wall-clock order with the gap between them; the player's track strip must show crops
// of the sighting. Screenshots go to test-results/e2e/.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEngineHost } from '../../electron/engine/host';
import type { DesktopEngine } from '../../electron/gateway/dispatch';
import { startBridge, type Bridge } from '../../electron/devbridge/server';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';

declare const document: any;
type HTMLImageElement = { complete: boolean; naturalWidth: number };

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RENDERER = path.join(ROOT, 'dist', 'renderer');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const SAMPLE = path.join(ROOT, 'resources', 'sample-case', 'sample-street.mp4');
const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
const NORTH_START = '2024-05-01T14:00:00.000Z';
const SOUTH_START = '2024-05-01T14:02:00.000Z';

const skip = fs.existsSync(SAMPLE) && fs.statSync(SAMPLE).size > 10_000 ? false : `${SAMPLE} absent`;
let work: string;
let engine: DesktopEngine;
let bridge: Bridge;
let browser: Browser;
let page: Page;
const problems: string[] = [];

before(async () => {
  if (skip) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-e2e-same-'));
  const north = path.join(work, 'north.mp4');
  const south = path.join(work, 'south.mp4');
  fs.copyFileSync(SAMPLE, north);
  // Same pictures, other bytes (a second camera of the same scene, as far as the case can tell).
  execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-i', SAMPLE, '-c', 'copy', '-metadata', 'title=South camera', '-y', south]);
  engine = startEngineHost({ settingsFile: path.join(work, 'settings.json'), keyDir: path.join(work, 'signing-key') });
  await engine.createCase({ path: path.join(work, 'two cameras.sightline'), caseNumber: '2024-0200', investigator: 'DC A. Jones' });
  const report = await engine.importPaths({ paths: [north, south] });
  assert.deepEqual(report.failed, [], JSON.stringify(report));
  const videos = await engine.listVideos();
  assert.equal(videos.length, 2);
  for (const v of videos) {
    const isNorth = v.fileName === 'north.mp4';
    await engine.setCamera(v.id, isNorth ? 'North' : 'South');
    await engine.setClockCorrection(v.id, isNorth ? NORTH_START : SOUTH_START);
  }
  bridge = await startBridge({ engine, rendererDir: RENDERER });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-component-update'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.route((url) => !url.toString().startsWith(bridge.url), (route) => { problems.push(`outside request ${route.request().url()}`); return route.abort(); });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
});

after(async () => {
  await browser?.close();
  await bridge?.close();
  await engine?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('same person: the follow timeline crosses cameras in wall-clock order; the track strip shows the sighting', { skip, timeout: 20 * 60_000 }, async () => {
  try {
    await page.goto(bridge.pageUrl);
    // The engine has the case open: the UI shows it, and Search is enabled.
    await page.getByRole('heading', { name: 'Case 2024-0200' }).waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: /Search/ }).click();
    await page.getByLabel('Description of the person', { exact: true }).fill('person walking');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hits = page.getByTestId('hit');
    await hits.first().waitFor({ timeout: 60_000 });

    // The top result's person, found in every video by ReID.
    const first = hits.first();
    const origin = Number(await first.getAttribute('data-sighting'));
    await first.getByRole('button', { name: /^Same person as sighting 1$/ }).click();
    await page.getByRole('heading', { name: `Same person as sighting ID ${origin}` }).waitFor({ timeout: 60_000 });
    const steps = page.getByTestId('follow-step');
    await steps.first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.follow-open img')].every((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), undefined, { timeout: 15_000 });
    await page.getByRole('region', { name: 'Follow timeline' }).screenshot({ path: path.join(SHOTS, 'same-person-follow.png') });
    await page.screenshot({ path: path.join(SHOTS, 'same-person-results.png') });

    const texts = await steps.allInnerTexts();
    const ids = await steps.evaluateAll((els: any[]) => els.map((e) => Number(e.getAttribute('data-sighting'))));
    assert.ok(ids.includes(origin), `the sighting asked about is on the timeline: ${ids}`);
    assert.ok(texts.some((t) => /North/.test(t)) && texts.some((t) => /South/.test(t)), `both cameras: ${texts.join(' | ')}`);
    // Wall-clock order: every North step (14:00 + t) comes before every South step (14:02 + t, same footage).
    const cams = texts.map((t) => (/North/.test(t) ? 'N' : 'S')).join('');
    assert.match(cams, /^N+S+$/, `steps in wall-clock order by camera: ${cams}`);
    const gaps = await page.getByTestId('follow-gap').allInnerTexts();
    assert.equal(gaps.length, ids.length - 1);
    const change = gaps.find((g) => /to South/.test(g));
    assert.ok(change, `a gap marks the change of camera: ${gaps.join(' | ')}`);
    assert.match(change!, /^\S.* later · to South$|min .* later · to South$/);
    // The engine says the same: the timeline comes from searchSamePerson's follow, in wall-clock order.
    const r = await engine.searchSamePerson({ sightingId: origin });
    assert.deepEqual(r.follow.map((f) => f.sighting), ids);
    const walls = r.follow.map((f) => Date.parse(f.wallClock!));
    for (let i = 1; i < walls.length; i++) assert.ok(walls[i] >= walls[i - 1], 'wall-clock order');

    // Opening a step plays it; the player shows the sighting's track as crops.
    const southStep = steps.filter({ hasText: 'South' }).first();
    await southStep.getByRole('button').click();
    const strip = page.getByTestId('track-strip');
    await strip.waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=track-crop]')].every((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), undefined, { timeout: 15_000 });
    const crops = await page.getByTestId('track-crop').count();
    const southId = Number(await southStep.getAttribute('data-sighting'));
    const track = await engine.getTrack(southId);
    assert.equal(crops, Math.min(12, track.points.length), 'one crop per detection, at most 12');
    await strip.screenshot({ path: path.join(SHOTS, 'same-person-track-strip.png') });
    await page.screenshot({ path: path.join(SHOTS, 'same-person-player.png') });
    assert.deepEqual(problems, []);
  } catch (e) {
    await page.screenshot({ path: path.join(SHOTS, 'same-person-failure.png') }).catch(() => undefined);
    throw e;
  }
});
