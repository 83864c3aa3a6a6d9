import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodePng } from '../../electron/engine/vision/png';
import { cropToImage } from '../../electron/engine/vision/crop';

test('PNG thumbnails decode with ffmpeg to the same pixels', () => {
  const w = 6, h = 4;
  const data = new Uint8Array(w * h * 3).map((_, i) => (i * 37) % 256);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'png-')), 't.png');
  fs.writeFileSync(file, encodePng({ width: w, height: h, data }));
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  assert.deepEqual(new Uint8Array(raw), data);
});

test('a crop of a uniform region keeps its colour and the requested height', () => {
  const w = 20, h = 20;
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) { data[i * 3] = i % w < 10 ? 200 : 10; data[i * 3 + 1] = 50; data[i * 3 + 2] = 90; }
  const crop = cropToImage({ width: w, height: h, data }, [0, 0, 8, 16], 8);
  assert.equal(crop.height, 8);
  assert.equal(crop.width, 4);
  for (let i = 0; i < crop.width * crop.height; i++) assert.deepEqual([...crop.data.subarray(i * 3, i * 3 + 3)], [200, 50, 90]);
});
