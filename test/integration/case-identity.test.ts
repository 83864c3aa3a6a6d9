// Who investigates: the investigator and case number set from the CLI (case set, index flags) and the
// API, audited, and carried by every later audit entry and by the export.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../electron/engine/api';
import { makeEvidenceCase } from '../fixtures/evidenceCase';

const MAIN = path.resolve(__dirname, '../../electron/cli/main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-identity-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { code: number; out: string; err: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, SIGHTLINE_HOME: path.join(dir, 'home'), USER: 'os-account' };
  delete env.SIGHTLINE_USER;
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function audit(file: string): { seq: number; user: string; action: string; details: Record<string, unknown> }[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT seq, user, action, details FROM audit_log ORDER BY seq').all() as { seq: number; user: string; action: string; details: string }[])
      .map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  } finally { db.close(); }
}

test('index --investigator --case-number names a new case; the entries carry the investigator, not the OS account', () => {
  const caseFile = path.join(dir, 'new.sqlite');
  const notVideo = path.join(dir, 'not-a-video.mp4');
  fs.writeFileSync(notVideo, 'this is text');
  const r = cli('index', notVideo, '--db', caseFile, '--investigator', 'DS Ana Müller', '--case-number', 'CR-2026-0099');
  assert.equal(r.code, 1); // the file fails, the case exists
  const show = cli('case', 'show', '--db', caseFile, '--json');
  assert.equal(show.code, 0, show.err);
  const info = JSON.parse(show.out) as { caseNumber: string; investigator: string };
  assert.deepEqual([info.caseNumber, info.investigator], ['CR-2026-0099', 'DS Ana Müller']);
  const entries = audit(caseFile);
  assert.equal(entries[0].action, 'case created');
  assert.ok(entries.length >= 1);
  for (const e of entries) assert.equal(e.user, 'DS Ana Müller', `${e.action} by ${e.user}`);
  assert.equal(cli('index', notVideo, '--db', caseFile, '--investigator', ' ').code, 2);
});

test('case set changes the investigator and number (audited with before/after); later entries carry the new name', async () => {
  const fx = await makeEvidenceCase({ caseNumber: 'OLD-1' });
  fx.db.close();
  try {
    const r = cli('case', 'set', '--db', fx.caseFile, '--investigator', 'Анна Петрова', '--case-number', 'CR-2026-0100');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /investigator {2}Анна Петрова/);
    const b = cli('bookmark', 'add', '--db', fx.caseFile, '--sighting', String(fx.sightings[0].id));
    assert.equal(b.code, 0, b.err);
    const entries = audit(fx.caseFile);
    const change = entries.find((e) => e.action === 'case details changed')!;
    assert.deepEqual(change.details, { caseNumber: { from: 'OLD-1', to: 'CR-2026-0100' }, investigator: { from: 'DC Test', to: 'Анна Петрова' } });
    assert.equal(change.user, 'Анна Петрова');
    assert.equal(entries.find((e) => e.action === 'bookmark added')!.user, 'Анна Петрова');
    // Setting the same values again writes no entry; nothing to set is a usage error.
    assert.equal(cli('case', 'set', '--db', fx.caseFile, '--investigator', 'Анна Петрова').code, 0);
    assert.equal(audit(fx.caseFile).filter((e) => e.action === 'case details changed').length, 1);
    assert.equal(cli('case', 'set', '--db', fx.caseFile).code, 2);
    assert.equal(cli('case', 'rename', '--db', fx.caseFile).code, 2);
    assert.equal(cli('audit', 'verify', '--db', fx.caseFile).code, 0);
  } finally {
    fx.cleanup();
  }
});

test('the API: setCaseDetails refuses an empty investigator; a name given to the engine wins over the case investigator', async () => {
  const fx = await makeEvidenceCase();
  fx.db.close();
  const engine = new Engine({ settingsFile: path.join(fx.dir, 'settings.json'), keyDir: path.join(fx.dir, 'key') });
  try {
    await engine.openCase(fx.caseFile);
    const prev = process.env.SIGHTLINE_USER;
    delete process.env.SIGHTLINE_USER;
    try {
      assert.equal(engine.user, 'DC Test');
      await assert.rejects(engine.setCaseDetails({ investigator: '  ' }), /must not be empty/);
      const info = await engine.setCaseDetails({ investigator: 'PC Ola Nordmann', title: 'Théft at the café' });
      assert.equal(info.investigator, 'PC Ola Nordmann');
      assert.equal(engine.user, 'PC Ola Nordmann');
    } finally {
      if (prev !== undefined) process.env.SIGHTLINE_USER = prev;
    }
    const key = await engine.getSigningKey();
    assert.match(key.fingerprint, /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    assert.equal((await engine.getSigningKey()).fingerprint, key.fingerprint, 'one key per installation, made once');
  } finally {
    await engine.close();
    fx.cleanup();
  }
  const tester = new Engine({ user: 'tester' });
  assert.equal(tester.user, 'tester');
});
