// The court-ready report as a reader sees it: rendered by poppler, read back with pdftotext. Names and
// notes in Cyrillic, Greek and accented Latin print as written; every exhibit has its number, its
// pictures and its continuity; the method quotes the model cards; the caveat is there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addBookmark } from '../../electron/engine/evidence/bookmarks';
import { exportEvidence } from '../../electron/engine/evidence/export';
import type { Manifest } from '../../electron/engine/evidence/manifestTypes';
import { modelMethods } from '../../electron/engine/evidence/method';
import { jpegInfo } from '../../electron/engine/evidence/pdf';
import { makeEvidenceCase, TEST_MODELS, testSigningKey, type EvidenceFixture } from '../fixtures/evidenceCase';

const NOTE = 'Подозреваемый в красной куртке — Ελληνικά: άνδρας με μαύρο σακίδιο; café déjà vu, Łódź, Øresund';
let fx: EvidenceFixture;
let bundle = '';
let manifest: Manifest;
let text = '';
let pages = 0;

const MODELS = [{ id: 'nanodet-m-coco', version: '1.0.0' }, { id: 'ivt-small-synth-v1', version: '1.2.0' }, { id: 'no-such-model', version: '9' }];

before(async () => {
  fx = await makeEvidenceCase({ camera: 'Камера 1', caseNumber: 'CR-2026-0042' });
  addBookmark(fx.db, 'DC Bookmarker', { sightingId: fx.sightings[0].id, note: NOTE, query: 'man in a red jacket', score: 0.41 });
  addBookmark(fx.db, 'DC Bookmarker', { sightingId: fx.sightings[1].id, note: 'second' });
  // Re-identification vectors as the indexer stores them: the first sighting one appearance throughout,
  // the second a detection that looks like someone else (cosine 0.45 to the sighting's mean).
  const unit = (k: number): Buffer => { const v = new Float32Array(256); v[k] = 1; return Buffer.from(v.buffer); };
  const dets = (id: number) => fx.db.prepare('SELECT id FROM detections WHERE sighting_id = ? ORDER BY t_s').pluck().all(id) as number[];
  const insReid = fx.db.prepare("INSERT INTO reid_vectors(detection_id, sighting_id, model_id, vector) VALUES (?, ?, 'reid-test@1', ?)");
  for (const d of dets(fx.sightings[0].id)) insReid.run(d, fx.sightings[0].id, unit(0));
  dets(fx.sightings[1].id).forEach((d, i) => insReid.run(d, fx.sightings[1].id, unit(i < 2 ? 0 : 1)));
  // The second result was rejected in review after it was bookmarked.
  fx.db.prepare("INSERT INTO rejections(sighting_id, reason, at) VALUES (?, 'not relevant', '2026-03-15T10:00:00Z')").run(fx.sightings[1].id);
  const r = await exportEvidence(fx.db, { ffmpeg: fx.ffmpeg, ffprobe: fx.ffprobe, user: 'DC Exporter', models: MODELS, signingKey: testSigningKey(fx.dir) },
    { outDir: path.join(fx.dir, 'out'), bookmarks: 'all', padS: 0.5 });
  bundle = r.bundleDir;
  manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as Manifest;
  const pdf = path.join(bundle, 'report.pdf');
  text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  // Kept for looking at: test-results/report-*.png.
  const shots = path.resolve(__dirname, '../../../test-results');
  fs.mkdirSync(shots, { recursive: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(shots, 'report')]);
});
after(() => fx?.cleanup());

const flat = (s: string): string => s.replace(/\s+/g, ' ');

test('non-Latin notes and camera names come back from the PDF as written', () => {
  assert.ok(flat(text).includes(NOTE), 'note');
  assert.ok(text.includes('Камера 1'), 'camera');
  assert.doesNotMatch(text, /\?\?\?/);
  assert.match(execFileSync('pdffonts', [path.join(bundle, 'report.pdf')], { encoding: 'utf8' }), /\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
});

test('one page of case, method and caveat, then one page per exhibit, each numbered, with crop and full frame', () => {
  assert.equal(manifest.items.length, 2);
  assert.ok(pages >= 3, `${pages} pages`);
  assert.deepEqual(manifest.items.map((i) => i.exhibit), ['CR-2026-0042-E001', 'CR-2026-0042-E002']);
  for (const it of manifest.items) {
    assert.ok(text.includes(`Exhibit ${it.exhibit}`), it.exhibit);
    const crop = jpegInfo(fs.readFileSync(path.join(bundle, it.files.personCrop.path)));
    // Enlarged: the crop around a 110-px-tall box is at least 480 px tall.
    assert.ok(crop.height >= 480 && crop.height > it.sighting.bbox[3] * 3, `${crop.width}x${crop.height}`);
    const frame = jpegInfo(fs.readFileSync(path.join(bundle, it.files.frameJpeg.path)));
    assert.deepEqual([frame.width, frame.height], [fx.width, fx.height]);
    assert.ok(manifest.files.some((f) => f.path === it.files.personCrop.path));
  }
  // The first exhibit's page holds its pictures and its continuity; the next page is the next exhibit.
  const pageText = (n: number): string => execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(n), '-l', String(n), path.join(bundle, 'report.pdf'), '-'], { encoding: 'utf8' });
  const first = [...Array(pages).keys()].map((i) => i + 1).find((n) => pageText(n).includes('Exhibit CR-2026-0042-E001'))!;
  assert.equal(first, pages - 1, 'exhibits are the last pages, one each');
  assert.match(pageText(pages), /Exhibit CR-2026-0042-E002/);
  const page2 = pageText(first);
  assert.match(page2, /Exhibit CR-2026-0042-E001/);
  assert.match(page2, /Person, enlarged/);
  assert.ok(page2.includes(fx.videoPath) || flat(page2).includes(fx.videoPath), 'original path');
  assert.ok(page2.includes(manifest.items[0].source.sha256.slice(0, 40)), 'source hash');
  assert.match(page2, /by DC Bookmarker at/);
  assert.match(page2, /by DC Exporter at/);
  assert.match(page2, /2026-03-14T09:30:02\.000Z/);
  const images = execFileSync('pdfimages', ['-list', '-f', String(first), '-l', String(first), path.join(bundle, 'report.pdf')], { encoding: 'utf8' }).trim().split('\n').slice(2);
  assert.equal(images.length, 2, 'crop and full frame on the exhibit page');
});

test('the caveat, the signer and the method: model ids@versions and quotes from the model cards, a missing card said so', () => {
  assert.match(flat(text), /Investigative lead, not identification\./);
  assert.ok(flat(text).includes(manifest.signer.fingerprint), 'fingerprint');
  for (const m of MODELS) assert.ok(text.includes(`${m.id}@${m.version}`), m.id);
  const cards = modelMethods(MODELS);
  assert.equal(cards[0].card, 'docs/model-card-nanodet.md');
  assert.equal(cards[1].card, 'docs/model-card-ivt.md');
  assert.equal(cards[2].card, null);
  assert.deepEqual(manifest.method, cards);
  // The figures are the cards' own words: R@1 48 % on 12 real people (IVT), no mAP for vtest (detector).
  assert.ok(cards[1].quotes.some((q) => q.includes('R@1 48 %')), JSON.stringify(cards[1].quotes));
  assert.ok(cards[0].quotes.some((q) => q.includes('no labelled boxes exist for vtest, so no mAP')));
  for (const q of [...cards[0].quotes, ...cards[1].quotes]) assert.ok(flat(text).includes(q.slice(0, 60)), q.slice(0, 60));
  assert.match(flat(text), /No model card for this model on the exporting machine/);
});

test('each exhibit states its review and its one-person check; a sighting that may hold two people is flagged', () => {
  const [a, b] = manifest.items;
  assert.deepEqual(a.review, { status: 'kept', reason: null });
  assert.deepEqual(b.review, { status: 'rejected', reason: 'not relevant' });
  assert.equal(a.onePerson.passed, true);
  assert.equal(a.onePerson.detections, 3);
  assert.equal(b.onePerson.passed, false);
  assert.ok(b.onePerson.lowestCosine! < b.onePerson.threshold, JSON.stringify(b.onePerson));
  const t = flat(text);
  assert.equal(t.split('may show more than one person').length - 1, 1, 'one warning, on the second exhibit only');
  assert.ok(t.includes('Rejected in review as "not relevant"'), 'rejection stated');
  assert.equal(t.split('One-person check').length - 1, 2, 'a check line per exhibit');
});
