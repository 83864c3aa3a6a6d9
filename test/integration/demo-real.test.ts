// sightline demo --real: OpenCV's vtest.avi (Debian opencv-doc) indexed and searched with descriptions
// of people seen in its frames; without the clip it says how to get it and exits 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VTEST_DESCRIPTIONS, VTEST_PATH } from '../../electron/cli/commands/demo';

const MAIN = path.resolve(__dirname, '../../electron/cli/main.js');

function cli(env: NodeJS.ProcessEnv, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('without the clip: exit 1, names the file and how to get it', () => {
  const r = cli({ SIGHTLINE_DEMO_VIDEO: '/nonexistent/vtest.avi' }, 'demo', '--real');
  assert.equal(r.code, 1);
  assert.match(r.err, /\/nonexistent\/vtest\.avi not found/);
  assert.match(r.err, /apt-get install opencv-doc/);
  assert.equal(cli({}, 'demo', '--real', 'extra').code, 2);
});

test('with the clip: indexes it and prints the ranked sightings of every description', { skip: !fs.existsSync(VTEST_PATH) && `${VTEST_PATH} absent (apt-get install opencv-doc)`, timeout: 20 * 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-demo-real-'));
  try {
    const db = path.join(dir, 'vtest.sqlite');
    const r = cli({ SIGHTLINE_HOME: dir }, 'demo', '--real', '--db', db, '--json');
    assert.equal(r.code, 0, r.err);
    // Each description search prints one JSON object (interpretation + hits) per line.
    const arrays = r.out.split('\n').filter((l) => l.startsWith('{"interpretation"')).map((l) => (JSON.parse(l) as { hits: { video: string; score: number; bbox: number[]; time: number }[] }).hits);
    assert.equal(arrays.length, VTEST_DESCRIPTIONS.length, 'one ranking per description');
    for (const hits of arrays) {
      assert.equal(hits.length, 5);
      for (const h of hits) {
        assert.equal(h.video, VTEST_PATH);
        assert.ok(h.time >= 0 && h.time <= 80 && h.bbox[3] > 20, JSON.stringify(h));
      }
      for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score, 'best first');
    }
    for (const d of VTEST_DESCRIPTIONS) assert.ok(r.err.includes(`search: "${d}"`), d);
    // The table form names each description above its ranking.
    const table = cli({ SIGHTLINE_HOME: dir }, 'demo', '--real', '--db', db);
    assert.equal(table.code, 0, table.err);
    for (const d of VTEST_DESCRIPTIONS) assert.ok(table.out.includes(`== ${d}\n`), d);
    assert.match(table.out, /^1 +0\.\d{3} /m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
