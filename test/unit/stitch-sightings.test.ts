// Stitching applied to a real case file (SQLite): fragments written by the indexer's own writeBatch
// are merged into the earliest sighting with every row that belongs to them; bookmarked sightings
// are left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openOrCreateCase, writeTransaction } from '../../electron/engine/case/caseFile';
import { insertVideo } from '../../electron/engine/case/videos';
import { addBookmark } from '../../electron/engine/evidence/bookmarks';
import { writeBatch, type DetectionWrite } from '../../electron/engine/indexing/store';
import { stitchVideo, videoTracklets } from '../../electron/engine/indexing/stitchSightings';
import { Tracker, type Track } from '../../electron/engine/indexing/tracker';
import type { BBox } from '../../electron/engine/contract';

const REID = 'reid-test@1';
const unitVec = (seed: number, dim = 16): Float32Array => {
  const v = Float32Array.from({ length: dim }, (_, i) => Math.sin(seed * 7.1 + i * 1.3) + (i === seed % dim ? 3 : 0));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

function caseWithFragments(): { db: ReturnType<typeof openOrCreateCase>; dir: string; videoId: number; ids: number[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-stitch-'));
  const db = openOrCreateCase(path.join(dir, 'case.sqlite'), 'tester');
  const videoId = insertVideo(db, {
    path: path.join(dir, 'v.mp4'), file_name: 'v.mp4', sha256: 'a'.repeat(64), size_bytes: 1, mtime_ms: 0, duration_s: 30, fps: 25,
    width: 1280, height: 720, codec: 'h264', rotation: 0, creation_time: null, probe_json: '{}', camera: 'cam', sample_fps: 2, file_id: null,
  });
  // One person (appearance 1) walking right, lost from 4 s to 6 s; another (appearance 5) far away throughout.
  const red = unitVec(1), blue = unitVec(5);
  const tracks: Track[] = [];
  const writes: DetectionWrite[] = [];
  const add = (track: Track, t: number, bbox: BBox, v: Float32Array, quality: number): void => {
    writes.push({ t, bbox, score: 0.8, quality, embeddings: [unitVec(9, 8)], reid: v, track, thumbnail: () => Buffer.from(`thumb ${t}`) });
  };
  const fragment = (v: Float32Array, t0: number, t1: number, x0: number, y: number, quality: number): void => {
    const tr = Tracker.restore(0, [{ t: t0, bbox: [x0, y, 40, 100], score: 0.8, appearance: v }]);
    tr.sightingId = null;
    tracks.push(tr);
    for (let t = t0; t <= t1; t += 0.5) add(tr, t, [x0 + 30 * (t - t0), y, 40, 100], v, quality + t);
  };
  fragment(red, 0, 4, 100, 200, 1);
  fragment(blue, 0, 10, 900, 300, 0);
  fragment(red, 6, 10, 280, 200, 100); // the better view: its frame must become the sighting's face
  writeBatch(db, { videoId, modelIds: ['ivt-test@1'], reidModelId: REID, detections: writes, closed: tracks, lastFrameT: 10, progress: 1 });
  return { db, dir, videoId, ids: tracks.map((t) => t.sightingId!) };
}

test('stitching a case: the fragments of one person become its earliest sighting, with all their rows', () => {
  const { db, dir, videoId, ids: [red1, blue, red2] } = caseWithFragments();
  try {
    assert.equal(videoTracklets(db, videoId, REID).length, 3);
    const merged = writeTransaction(db, () => stitchVideo(db, videoId, REID));
    assert.equal(merged, 1);
    const rows = db.prepare('SELECT id, start_s, end_s, detection_count, best_s, last_x FROM sightings ORDER BY id').all() as { id: number; start_s: number; end_s: number; detection_count: number; best_s: number; last_x: number }[];
    assert.deepEqual(rows.map((r) => r.id), [red1, blue]);
    const red = rows[0];
    assert.equal(red.start_s, 0);
    assert.equal(red.end_s, 10);
    assert.equal(red.detection_count, 18);
    assert.equal(red.best_s, 10, 'the best frame of the group');
    assert.equal(red.last_x, 280 + 30 * 4, 'the last box of the group (a resumed tracker continues from it)');
    assert.equal(db.prepare('SELECT thumbnail FROM sightings WHERE id = ?').pluck().get(red1)!.toString(), 'thumb 10');
    for (const table of ['detections', 'embeddings', 'reid_vectors']) {
      assert.equal(db.prepare(`SELECT count(*) FROM ${table} WHERE sighting_id = ?`).pluck().get(red1), 18, table);
      assert.equal(db.prepare(`SELECT count(*) FROM ${table} WHERE sighting_id = ?`).pluck().get(red2), 0, table);
    }
    assert.equal(db.prepare('SELECT count(*) FROM detections WHERE sighting_id = ?').pluck().get(blue), 21);
    // Idempotent: a second pass (a run killed after stitching, resumed) finds nothing more to join.
    assert.equal(writeTransaction(db, () => stitchVideo(db, videoId, REID)), 0);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bookmarked fragment is the investigator\'s: it is not merged away', () => {
  const { db, dir, videoId, ids: [red1, , red2] } = caseWithFragments();
  try {
    addBookmark(db, 'tester', { sightingId: red2, note: 'this one' });
    assert.equal(writeTransaction(db, () => stitchVideo(db, videoId, REID)), 0);
    assert.equal(db.prepare('SELECT count(*) FROM sightings WHERE id IN (?, ?)').pluck().get(red1, red2), 2);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
