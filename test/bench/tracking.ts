// Sighting purity, IDF1, fragmentation and false-positive sightings of the old tracker (v1: box
// proximity + IVT appearance, every detector box) and the current one (person filter + ReID tracker),
// replayed on the same detections, against the hand-checked tracks of vtest.avi (development set:
// the tracker was tuned on it) and the Intel store-aisle GIF (held out). `npm run bench:tracking`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { plausiblePeople } from '../../electron/engine/indexing/personFilter';
import { Tracker, type TrackedDetection } from '../../electron/engine/indexing/tracker';
import { DEFAULT_STITCH, stitch, type StitchOptions } from '../../electron/engine/indexing/stitcher';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { groundTruthFile, loadTracks, type PredictedDetection, realFootageDir, scoreTracking, type TrackingScore } from './groundTruth';
import { Tracker as LegacyTracker } from './legacyTracker';
import { type RawClip, rawDetections } from './trackingData';
import { VTEST_SYSTEM } from './fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Tracker v1 as it ran: every detector box, IVT appearance. */
export function legacySightings(clip: RawClip): PredictedDetection[] {
  const tracker = new LegacyTracker();
  const ids = new Map<object, number>();
  const out: PredictedDetection[] = [];
  for (const f of clip.frames) {
    const { assignments } = tracker.step(f.t, f.dets.map((d) => ({ t: f.t, bbox: d.bbox, score: d.score, embedding: d.ivt })));
    for (const a of assignments) {
      if (!ids.has(a.track)) ids.set(a.track, ids.size + 1);
      out.push({ sighting: ids.get(a.track)!, t: f.t, bbox: a.detection.bbox });
    }
  }
  return out;
}

/** The current pipeline's tracking, as indexVideo runs it: person filter, the ReID tracker, then stitching. */
export function currentSightings(clip: RawClip, stitchOptions: StitchOptions | null = DEFAULT_STITCH): PredictedDetection[] {
  const tracker = new Tracker();
  const ids = new Map<object, number>();
  const byTrack = new Map<number, TrackedDetection[]>();
  for (const f of clip.frames) {
    const people = plausiblePeople(f.dets, clip.width, clip.height);
    const { assignments } = tracker.step(f.t, people.map((d) => ({ t: f.t, bbox: d.bbox, score: d.score, appearance: d.reid })));
    for (const a of assignments) {
      if (!ids.has(a.track)) { ids.set(a.track, ids.size + 1); byTrack.set(ids.size, []); }
      byTrack.get(ids.get(a.track)!)!.push(a.detection);
    }
  }
  const groups = stitchOptions ? stitch([...byTrack].map(([id, detections]) => ({ id, detections })), stitchOptions) : [...byTrack.keys()].map((id) => [id]);
  return groups.flatMap((g) => g.flatMap((id) => byTrack.get(id)!.map((d) => ({ sighting: g[0], t: d.t, bbox: d.bbox }))));
}

export const summary = (s: TrackingScore): string =>
  `purity min ${s.minPurity.toFixed(2)} mean ${s.meanPurity.toFixed(2)}  IDF1 ${s.idf1.toFixed(2)} (IDP ${s.idPrecision.toFixed(2)} IDR ${s.idRecall.toFixed(2)})  ` +
  `sightings/person ${s.meanFragmentation.toFixed(2)}  sightings ${s.sightings.length}  false-positive sightings ${s.falsePositiveSightings}`;

async function main(): Promise<void> {
  const clips: { name: string; file: string; truth: string; role: string }[] = [];
  if (fs.existsSync(VTEST_SYSTEM)) clips.push({ name: 'vtest.avi', file: VTEST_SYSTEM, truth: groundTruthFile(ROOT, 'vtest-tracks'), role: 'development set (tuned on)' });
  else console.log(`vtest.avi: skipped (${VTEST_SYSTEM} absent; apt-get install opencv-doc)`);
  const real = realFootageDir(ROOT);
  if (real) clips.push({ name: 'store-aisle', file: path.join(real, 'intel-sample-gifs', 'store-aisle-detection.gif'), truth: groundTruthFile(ROOT, 'tracks-store-aisle'), role: 'held out' });
  else console.log('store-aisle: skipped (../shared/real-footage absent)');
  if (!clips.length) return;
  const tools = resolveFfmpeg();
  const models = await loadIndexModels({ provider: 'cpu' });
  try {
    for (const c of clips) {
      const raw = await rawDetections(c.file, models, tools.ffmpeg);
      const truth = loadTracks(c.truth);
      const before = scoreTracking(truth, legacySightings(raw));
      const online = scoreTracking(truth, currentSightings(raw, null));
      const overrides = process.env.STITCH ? JSON.parse(process.env.STITCH) as Partial<StitchOptions> : {};
      const after = scoreTracking(truth, currentSightings(raw, { ...DEFAULT_STITCH, ...overrides }));
      console.log(`${c.name} (${c.role}; ${raw.frames.length} frames, ${truth.identities.length} people)`);
      console.log(`  old tracker v1: ${summary(before)}`);
      console.log(`  online only:    ${summary(online)}`);
      console.log(`  current:        ${summary(after)}`);
      if (process.env.VERBOSE) {
        for (const s of after.sightings) if (s.purity !== null && s.purity < 0.98) console.log(`    impure sighting ${s.sighting}: purity ${s.purity.toFixed(2)} of ${s.matched} (${s.majority})`);
        for (const s of after.sightings) if (s.falsePositives > s.matched) console.log(`    false-positive sighting ${s.sighting}: ${s.falsePositives} detections`);
        console.log(`    fragmentation ${JSON.stringify(after.fragmentation)}`);
      }
    }
  } finally {
    await closeIndexModels(models);
  }
}

if (require.main === module) main().catch((e) => { console.error(e); process.exitCode = 1; });
