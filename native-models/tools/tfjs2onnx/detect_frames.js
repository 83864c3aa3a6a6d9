// Runs the app's TypeScript detector (compiled: dist/electron/engine/vision/detector.js) on raw
// RGB24 frames and prints detections + timings as JSON. Used by check_detector.py.
//   node detect_frames.js FRAMES_DIR [batch]   — FRAMES_DIR/frames.json: {width,height,files:[…]}
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '../../..');
const { Detector } = require(path.join(root, 'dist/electron/engine/vision/detector.js'));

async function main() {
  const [dir, batchArg] = process.argv.slice(2);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'frames.json'), 'utf8'));
  const batch = Number(batchArg || 1);
  // DETECTOR_MODEL: a model id or folder other than the default (e.g. a manifest variant)
  const det = await Detector.load(process.env.DETECTOR_MODEL || undefined, { provider: 'cpu', maxBatch: batch });
  const frames = spec.files.map((f) => ({ width: spec.width, height: spec.height, data: new Uint8Array(fs.readFileSync(path.join(dir, f))) }));
  await det.detect(frames.slice(0, 1)); // warm-up
  const t0 = process.hrtime.bigint();
  const results = await det.detect(frames);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ provider: det.provider, batch, frames: frames.length, msPerFrame: ms / frames.length, results }));
  await det.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
