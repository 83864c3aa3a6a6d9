// The committed ONNX files of the vendored OpenVINO networks are exactly what our converter
// (native-models/tools/ir2onnx) makes from the committed IR in each model's source/ folder,
// and each manifest lists the checksums of both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../electron/engine/vision/manifest';

const ROOT = packageRoot();
const CONVERT = path.join(ROOT, 'native-models', 'tools', 'ir2onnx', 'convert.sh');
const MODELS = ['person-reidentification-retail-0287', 'person-reidentification-retail-0288', 'person-attributes-recognition-crossroad-0230'];

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

interface Manifest { file: string; files: Record<string, string>; source: { xml: string; bin: string; sha256: { xml: string; bin: string } } }

for (const id of MODELS) {
  const dir = path.join(ROOT, 'native-models', id);

  test(`${id}: manifest.json lists the SHA-256 of model.onnx and of the source IR; licence and provenance are there`, () => {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    assert.deepEqual(Object.keys(m.files), [m.file]);
    assert.equal(m.files[m.file], sha256(path.join(dir, m.file)));
    assert.equal(m.source.sha256.xml, sha256(path.join(dir, m.source.xml)));
    assert.equal(m.source.sha256.bin, sha256(path.join(dir, m.source.bin)));
    assert.match(fs.readFileSync(path.join(dir, 'source', 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
    const provenance = fs.readFileSync(path.join(dir, 'source', 'PROVENANCE.md'), 'utf8');
    assert.ok(provenance.includes(m.source.sha256.xml) && provenance.includes(m.source.sha256.bin), 'PROVENANCE.md lists the IR checksums');
  });

  test(`${id}: re-running the converter reproduces model.onnx and manifest.json byte for byte`, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ir2onnx-'));
    try {
      execFileSync(CONVERT, [id, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
      assert.equal(sha256(path.join(out, 'model.onnx')), sha256(path.join(dir, 'model.onnx')), 'converter output differs from the committed model.onnx');
      assert.equal(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'), fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
}
