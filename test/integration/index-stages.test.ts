// The indexing stages as listed in indexing/stages.ts are the ones indexVideo times: every stage of
// a real run (real ffmpeg, ONNX Runtime, SQLite) is charged time, and no other key appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import { importVideo } from '../../electron/engine/indexing/importer';
import { indexVideo } from '../../electron/engine/indexing/indexVideo';
import { closeIndexModels, loadIndexModels } from '../../electron/engine/indexing/job';
import { formatStageTimes, newStageTimes, STAGES } from '../../electron/engine/indexing/stages';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { SAMPLE_VIDEO, tempDir } from '../helpers/cli';

test('indexVideo charges wall time to every stage of STAGES, in the list\'s names only', { timeout: 300_000 }, async () => {
  const tools = resolveFfmpeg();
  const db = openOrCreateCase(path.join(tempDir('stages'), 'case.sqlite'), 'stages');
  const models = await loadIndexModels({ provider: 'cpu' });
  try {
    const { videoId } = await importVideo(db, SAMPLE_VIDEO, { ffprobe: tools.ffprobe, fps: 1, user: 'test' });
    const times = newStageTimes();
    const r = await indexVideo(db, videoId, models, { ffmpeg: tools.ffmpeg, stageTimes: times });
    assert.ok(r.frames > 0 && r.detections > 0, `indexed ${r.frames} frames, ${r.detections} detections`);
    // Evidence for fused search: one row per detection, naming the attribute model that produced it.
    const evidence = db.prepare('SELECT model_id, evidence FROM detection_evidence').all() as { model_id: string; evidence: string }[];
    assert.equal(evidence.length, r.detections);
    const attrModel = `${models.attributes!.manifest.id}@${models.attributes!.manifest.version}`;
    for (const e of evidence) {
      assert.equal(e.model_id, attrModel);
      const ev = JSON.parse(e.evidence) as { p: Record<string, number>; upper: { name: string; confidence: number }[]; lower: unknown[] };
      assert.ok(ev.p.isMale >= 0 && ev.p.isMale <= 1 && ev.upper.length > 0 && ev.lower.length > 0, e.evidence);
    }
    assert.deepEqual(Object.keys(times), STAGES.map((s) => s.name));
    for (const s of STAGES) assert.ok(times[s.name] > 0, `stage ${s.name} was charged no time: ${formatStageTimes(times, 4)}`);
    assert.match(formatStageTimes(times), new RegExp(`^${STAGES.map((s) => `${s.label.replace('+', '\\+')} \\d+\\.\\d`).join(' ')}$`));
  } finally {
    await closeIndexModels(models);
    db.close();
  }
});
