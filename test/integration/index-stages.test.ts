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
    assert.deepEqual(Object.keys(times), STAGES.map((s) => s.name));
    for (const s of STAGES) assert.ok(times[s.name] > 0, `stage ${s.name} was charged no time: ${formatStageTimes(times, 4)}`);
    assert.match(formatStageTimes(times), new RegExp(`^${STAGES.map((s) => `${s.label.replace('+', '\\+')} \\d+\\.\\d`).join(' ')}$`));
  } finally {
    await closeIndexModels(models);
    db.close();
  }
});
