// Garment colours read from regions of real crops (vtest.avi, Debian opencv-doc) with the attribute
// network's colour points: the index-time evidence of the fused search (vision/evidence.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { AttributeModel } from '../../electron/engine/vision/attributes';
import { colourMatch } from '../../electron/engine/vision/colour';
import { cropEvidence, garmentPatch } from '../../electron/engine/vision/evidence';
import type { BBox } from '../../electron/engine/contract';

const VTEST = '/usr/share/doc/opencv-doc/examples/data/vtest.avi';
const haveVtest = fs.existsSync(VTEST) && (() => { try { execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

function vtestFrame(n: number): { width: number; height: number; data: Uint8Array } {
  const data = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', VTEST, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-fps_mode', 'passthrough',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 });
  return { width: 768, height: 576, data: new Uint8Array(data) };
}

test('garment patches stay inside their body band whatever point the network gives', () => {
  for (const p of [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 0.5, y: 0.3 }, { x: Number.NaN, y: Number.NaN }]) {
    const up = garmentPatch(p, 'upper'), low = garmentPatch(p, 'lower');
    assert.ok(up.y0 >= 0.18 && up.y1 <= 0.55 && up.x0 >= 0.2 && up.x1 <= 0.8, JSON.stringify(up));
    assert.ok(low.y0 >= 0.55 && low.y1 <= 0.92, JSON.stringify(low));
  }
});

test('real crops: red jacket over dark blue jeans, light blue jacket, navy jacket (vtest.avi)', { skip: !haveVtest && 'vtest.avi or ffmpeg not installed', timeout: 120_000 }, async () => {
  const model = await AttributeModel.load(undefined, { provider: 'cpu' });
  try {
    const cases: { frame: number; box: BBox; check: (e: ReturnType<typeof cropEvidence>) => void }[] = [
      { frame: 440, box: [602, 246, 61, 122], check: (e) => {
        assert.ok(colourMatch({ base: 'red' }, e.upper) > 0.6, JSON.stringify(e.upper));
        assert.ok(colourMatch({ base: 'blue', modifier: 'dark' }, e.lower) > colourMatch({ base: 'red' }, e.lower) + 0.3, JSON.stringify(e.lower));
        assert.ok(e.p.isMale < 0.5, `she is read as a woman: isMale ${e.p.isMale}`);
      } },
      { frame: 140, box: [515, 185, 48, 98], check: (e) => {
        assert.ok(colourMatch({ base: 'blue', modifier: 'light' }, e.upper) > 0.5, JSON.stringify(e.upper));
        assert.ok(colourMatch({ base: 'red' }, e.upper) < 0.2, JSON.stringify(e.upper));
      } },
      { frame: 20, box: [671, 260, 68, 136], check: (e) => {
        assert.ok(colourMatch({ base: 'navy' }, e.upper) + colourMatch({ base: 'black' }, e.upper) > 0.5, JSON.stringify(e.upper));
      } },
    ];
    for (const c of cases) {
      const frame = vtestFrame(c.frame);
      const [a] = await model.predict([{ image: frame, bbox: c.box }]);
      c.check(cropEvidence(frame, c.box, a));
    }
  } finally {
    await model.close();
  }
});
