// Run an ONNX model with onnxruntime-node on raw float32 inputs (used by the Python checks,
// since this machine has no onnxruntime for Python).
//   node ort_run.js model.onnx DIR   — reads DIR/spec.json {inputs:{name:[shape]}, int64?:[name]}, DIR/<name>.f32 (raw float32, or int64 for names in int64);
//   writes DIR/out_<name>.f32 and DIR/out_spec.json {name: shape}.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(require.resolve('onnxruntime-node', { paths: [process.cwd(), path.resolve(__dirname, '../../..')] }));

async function main() {
  const [modelPath, dir] = process.argv.slice(2);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8'));
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
  const feeds = {};
  for (const [name, shape] of Object.entries(spec.inputs)) {
    const buf = fs.readFileSync(path.join(dir, `${name}.f32`));
    feeds[name] = (spec.int64 || []).includes(name)
      ? new ort.Tensor('int64', new BigInt64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), shape)
      : new ort.Tensor('float32', new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4), shape);
  }
  const t0 = process.hrtime.bigint();
  const out = await session.run(feeds);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const shapes = {};
  for (const [name, t] of Object.entries(out)) {
    fs.writeFileSync(path.join(dir, `out_${name}.f32`), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    shapes[name] = t.dims;
  }
  fs.writeFileSync(path.join(dir, 'out_spec.json'), JSON.stringify({ shapes, ms }));
}
main().catch((e) => { console.error(e); process.exit(1); });
