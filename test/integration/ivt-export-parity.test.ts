// PyTorch -> ONNX export parity for the IVT encoders: /usr/bin/python3 exports a seeded,
// random-init IVT (tiny; and hybrid: the IVT 2.0 layout, the ReID backbone read from its OpenVINO
// IR as the image stem) and writes its PyTorch embeddings for fixed inputs; onnxruntime-node
// must reproduce them. Tolerance: 1e-4 absolute per component of the L2-normalised vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { PY } from '../helpers/python';

const TOLERANCE = 1e-4;


interface TensorJson { shape: number[]; data: number[] }
interface Parity {
  config: { embed_dim: number };
  pixel_values: TensorJson;
  input_ids: TensorJson;
  attention_mask: TensorJson;
  image_embedding: number[][];
  text_embedding: number[][];
}

function maxAbsDiff(actual: Float32Array, expected: number[][], rows: number[]): number {
  const d = expected[0].length;
  let worst = 0;
  rows.forEach((row, i) => {
    for (let k = 0; k < d; k++) worst = Math.max(worst, Math.abs(actual[i * d + k] - expected[row][k]));
  });
  return worst;
}

function int64(t: TensorJson, rows: number[]): ort.Tensor {
  const width = t.shape[1];
  const data = BigInt64Array.from(rows.flatMap((r) => t.data.slice(r * width, (r + 1) * width)), (x) => BigInt(x));
  return new ort.Tensor('int64', data, [rows.length, width]);
}

for (const size of ['tiny', 'hybrid']) test(`onnxruntime-node reproduces the PyTorch IVT embeddings (${size})`, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ivt-parity-'));
  try {
    execFileSync(PY, ['-m', 'ivt.parity', dir, size], { stdio: 'pipe', timeout: 300_000 });
    const fx = JSON.parse(fs.readFileSync(path.join(dir, 'parity.json'), 'utf8')) as Parity;

    const image = await ort.InferenceSession.create(path.join(dir, 'image_encoder.onnx'));
    const px = fx.pixel_values;
    const perImage = px.shape[1] * px.shape[2] * px.shape[3];
    // Whole batch, then a single row: the batch axis must be dynamic.
    for (const rows of [[0, 1, 2], [1]]) {
      const data = Float32Array.from(rows.flatMap((r) => px.data.slice(r * perImage, (r + 1) * perImage)));
      const out = await image.run({ pixel_values: new ort.Tensor('float32', data, [rows.length, ...px.shape.slice(1)]) });
      const emb = out.embedding;
      assert.deepEqual(emb.dims, [rows.length, fx.config.embed_dim]);
      const diff = maxAbsDiff(emb.data as Float32Array, fx.image_embedding, rows);
      assert.ok(diff < TOLERANCE, `image embedding differs by ${diff}`);
    }

    const text = await ort.InferenceSession.create(path.join(dir, 'text_encoder.onnx'));
    for (const rows of [[0, 1, 2], [2]]) {
      const out = await text.run({ input_ids: int64(fx.input_ids, rows), attention_mask: int64(fx.attention_mask, rows) });
      const diff = maxAbsDiff(out.embedding.data as Float32Array, fx.text_embedding, rows);
      assert.ok(diff < TOLERANCE, `text embedding differs by ${diff}`);
    }
    // Outputs are already L2-normalised.
    const out = await text.run({ input_ids: int64(fx.input_ids, [0]), attention_mask: int64(fx.attention_mask, [0]) });
    const v = out.embedding.data as Float32Array;
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
    await image.release();
    await text.release();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
