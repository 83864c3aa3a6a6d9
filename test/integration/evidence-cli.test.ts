// The CLI commands as a user runs them: bookmark, export, verify, audit verify — exit codes and messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { makeEvidenceCase, type EvidenceFixture } from '../fixtures/evidenceCase';

const MAIN = path.resolve(__dirname, '../../electron/cli/main.js');
let fx: EvidenceFixture;

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, SIGHTLINE_USER: 'DC Cli', HOME: fx.dir } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

before(async () => {
  fx = await makeEvidenceCase();
  fx.db.close(); // the CLI opens the case file itself
});
after(() => fx?.cleanup());

let bundle = '';

test('bookmark add / list / edit / remove', () => {
  const add = cli('bookmark', 'add', '--db', fx.caseFile, '--sighting', String(fx.sightings[0].id), '--note', 'seen at door');
  assert.equal(add.code, 0, add.err);
  assert.match(add.out, /bookmark 1 added/);
  assert.equal(cli('bookmark', 'add', '--db', fx.caseFile, '--sighting', String(fx.sightings[1].id)).code, 0);
  const list = cli('bookmark', 'list', '--db', fx.caseFile, '--json');
  const parsed = JSON.parse(list.out) as { id: number; note: string; hit: { camera: string } }[];
  assert.deepEqual(parsed.map((b) => b.id), [1, 2]);
  assert.equal(parsed[0].hit.camera, 'Front door');
  assert.match(cli('bookmark', 'list', '--db', fx.caseFile).out, /\[1\] sighting 1 .*"seen at door"/);
  assert.equal(cli('bookmark', 'edit', '--db', fx.caseFile, '2', '--note', 'second look').code, 0);
  const bad = cli('bookmark', 'add', '--db', fx.caseFile, '--sighting', '999');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /sighting 999 does not exist/);
  assert.equal(cli('bookmark', 'remove', '--db', fx.caseFile, 'x').code, 2);
  assert.equal(cli('bookmark', 'remove', '--db', fx.caseFile, '77').code, 1);
});

test('export writes a bundle and verify accepts it', () => {
  const out = path.join(fx.dir, 'exports');
  const r = cli('export', '--db', fx.caseFile, '--out', out, '--bookmarks', '1,2', '--pad', '1', '--json');
  assert.equal(r.code, 0, r.err);
  bundle = (JSON.parse(r.out) as { bundleDir: string }).bundleDir;
  assert.ok(bundle.startsWith(out));
  const v = cli('verify', bundle);
  assert.equal(v.code, 0, v.err);
  assert.match(v.out, /^OK: \d+ files/);
  assert.equal(cli('export', '--db', fx.caseFile, '--out', out, '--bookmarks', '1,x').code, 2);
  const missing = cli('export', '--db', fx.caseFile, '--out', out, '--bookmarks', '9');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no such bookmark: 9/);
});

test('verify fails with the file and reason after a byte changes', () => {
  const pdf = path.join(bundle, 'report.pdf');
  const bytes = fs.readFileSync(pdf);
  bytes[100] ^= 1;
  fs.writeFileSync(pdf, bytes);
  const v = cli('verify', bundle);
  assert.equal(v.code, 1);
  assert.match(v.err, /report\.pdf: SHA-256 does not match/);
  assert.equal(cli('verify').code, 2);
  assert.equal(cli('verify', path.join(fx.dir, 'nope')).code, 1);
});

test('audit verify: exit 0 on the real log, 1 after an entry is altered in the file', () => {
  const ok = cli('audit', 'verify', '--db', fx.caseFile);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /OK: \d+ audit entries/);
  const raw = new Database(fx.caseFile);
  raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = 'someone else' WHERE seq = 2;");
  raw.close();
  const bad = cli('audit', 'verify', '--db', fx.caseFile);
  assert.equal(bad.code, 1);
  assert.ok(bad.err.includes(fx.caseFile));
  assert.match(bad.err, /entry 2 \(.*\): content altered/);
  assert.equal(cli('audit', 'check', '--db', fx.caseFile).code, 2);
});
