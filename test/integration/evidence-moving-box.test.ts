// The boxed evidence clip with the real ffmpeg: between two detections the drawn box is one box,
// moved part-way — its centre at the mid-point frame lies between the two detections (pixels read back).
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeAnnotated, toolSupport } from '../../electron/engine/evidence/clips';
import { trackSpans } from '../../electron/engine/evidence/filters';
import { ffmpegBin, ffprobeBin, makeTempDir, makeTestVideo } from '../fixtures/videos';

const dir = makeTempDir('sightline-movingbox-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Red pixels of the frame at `t` of `file`: their count, column span and centre. */
function redAt(file: string, t: number, w: number, h: number): { n: number; minX: number; maxX: number; cx: number; cy: number } {
  const raw = execFileSync(ffmpegBin(), ['-v', 'error', '-i', `file:${file}`, '-vf', `select='gte(t,${t - 0.001})'`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 26 });
  let n = 0, sx = 0, sy = 0, minX = Infinity, maxX = -Infinity;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    if (raw[i] > 180 && raw[i + 1] < 70 && raw[i + 2] < 70) { n++; sx += x; sy += y; minX = Math.min(minX, x); maxX = Math.max(maxX, x); }
  }
  return { n, minX, maxX, cx: sx / n, cy: sy / n };
}

test('boxed clip: at the mid-point frame the one box is half-way between the two detections', async () => {
  const src = makeTestVideo(dir, { name: 'grey.mp4', durationS: 4, fps: 10, width: 320, height: 240, background: 'gray', figures: 0 });
  const a = { t: 1, bbox: [40, 60, 30, 90] as [number, number, number, number] };
  const b = { t: 3, bbox: [240, 80, 30, 90] as [number, number, number, number] };
  const support = await toolSupport(ffmpegBin(), (m) => new Error(m));
  const out = path.join(dir, 'boxed.mp4');
  await encodeAnnotated({ ffmpeg: ffmpegBin(), ffprobe: ffprobeBin() }, { ...support, drawtext: false }, src, { width: 320, height: 240 }, trackSpans([a, b], 10), 0, 4, null, out);
  const centre = (bb: number[]) => [bb[0] + bb[2] / 2, bb[1] + bb[3] / 2];
  const [ax, ay] = centre(a.bbox);
  const [bx, by] = centre(b.bbox);
  const mid = redAt(out, 2, 320, 240);
  assert.ok(mid.n > 100, 'a box is drawn at the mid-point');
  assert.ok(mid.cx > ax + 20 && mid.cx < bx - 20, `box centre x ${mid.cx.toFixed(1)} not between ${ax} and ${bx}`);
  assert.ok(Math.abs(mid.cx - (ax + bx) / 2) < 12, `box centre x ${mid.cx.toFixed(1)}, expected about ${(ax + bx) / 2} (linear)`);
  assert.ok(mid.cy > ay && mid.cy < by, `box centre y ${mid.cy.toFixed(1)} not between ${ay} and ${by}`);
  assert.ok(mid.maxX - mid.minX < 40, `one box, not two: red spans x ${mid.minX}..${mid.maxX}`);
  // A quarter of the way: further along than at the start, not yet at the mid-point.
  const q = redAt(out, 1.5, 320, 240);
  assert.ok(q.cx > ax + 10 && q.cx < mid.cx - 10, `quarter-way centre ${q.cx.toFixed(1)}`);
  // On a detection frame and after the sighting.
  assert.ok(Math.abs(redAt(out, 1, 320, 240).cx - ax) < 3);
  assert.equal(redAt(out, 3.5, 320, 240).n, 0, 'no box after the last detection');
});
