// The investigator's side of a team case through the same Engine door and CLI commands as a case
// file: the video list, camera names, clock corrections, relinking moved footage and the case details,
// each change audited under the acting database role, on a real PostgreSQL (test/helpers/postgres.ts).
// Needs no worker: importing hashes and probes the footage; indexing is not what is tested here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../electron/engine/api';
import { BIN, runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { postgresSkipReason, startPostgres } from '../helpers/postgres';

const skip = postgresSkipReason();

test('team case: videos, camera, clock correction, relink and case details, audited by role', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const dir = tempDir('team-details');
  const pg = await startPostgres();
  const engine = new Engine({ settingsFile: path.join(dir, 'settings.json') });
  try {
    const clip = path.join(dir, 'cam1', 'clip.mp4');
    fs.mkdirSync(path.dirname(clip));
    execFileSync('ffmpeg', ['-v', 'error', '-t', '3', '-i', SAMPLE_VIDEO, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-metadata', 'creation_time=2026-03-14T09:30:00Z', clip]);
    await pg.sql('postgres', "CREATE ROLE carol LOGIN PASSWORD 'carol-pw-4410'");
    await pg.sql('postgres', 'CREATE DATABASE details OWNER carol');
    const url = pg.url('carol', 'carol-pw-4410', 'details');
    assert.equal((await runCli(['case', 'create', '--server', url, '--case-number', 'T-1'])).code, 0);
    const imported = await runCli(['index', clip, '--server', url, '--json']);
    assert.equal(imported.code, 0, imported.stderr);

    const info = await engine.openTeamCase({ server: url });
    assert.equal(info.investigator, 'carol');
    const [v] = await engine.listVideos();
    assert.equal(v.path, clip);
    assert.equal(v.camera, 'cam1', 'camera named after the folder, as a case file does');
    assert.equal(v.status, 'queued');
    assert.equal(v.progress, 0);
    assert.equal(v.creationTime, '2026-03-14T09:30:00.000Z');
    assert.equal(v.sha256.length, 64);
    assert.ok(v.mtimeMs > 0 && v.sizeBytes === fs.statSync(clip).size);
    assert.equal(v.playback.state, 'native');

    assert.equal((await engine.setCamera(v.id, 'Entrance')).camera, 'Entrance');
    const corrected = await engine.setClockCorrection(v.id, '2026-03-14T10:31:02+01:00');
    assert.equal(corrected.trueStartTime, '2026-03-14T09:31:02.000Z');
    await assert.rejects(engine.setClockCorrection(v.id, 'yesterday'), /not a date and time/);
    await assert.rejects(engine.setCamera(999, 'x'), /video 999: not in this case/);

    // Moved footage: the same bytes elsewhere are accepted, other bytes are not.
    const moved = path.join(dir, 'moved.mp4');
    fs.copyFileSync(clip, moved);
    assert.equal((await engine.relinkVideo(v.id, moved)).path, moved);
    const other = path.join(dir, 'other.mp4');
    fs.writeFileSync(other, 'not the footage');
    await assert.rejects(engine.relinkVideo(v.id, other), /not the imported file/);

    // Case details: number and title change (audited); the investigator is the role and is not typed.
    const changed = await engine.setCaseDetails({ caseNumber: 'T-2', title: 'Harbour' });
    assert.deepEqual([changed.caseNumber, changed.title, changed.investigator], ['T-2', 'Harbour', 'carol']);
    await assert.rejects(engine.setCaseDetails({ investigator: 'mallory' }), /database role/);
    assert.equal((await engine.setCaseDetails({ investigator: 'carol', title: 'Harbour' })).title, 'Harbour', 'naming the role itself is no change');

    const log = await pg.sql('details', 'SELECT actor, action, details FROM audit_log ORDER BY seq');
    const entries = log.slice(2).map((e) => [e.actor, e.action, JSON.parse(e.details as string)]);
    assert.deepEqual(entries, [
      ['carol', 'camera named', { videoId: v.id, from: 'cam1', to: 'Entrance' }],
      ['carol', 'clock correction set', { videoId: v.id, from: null, to: '2026-03-14T09:31:02.000Z' }],
      ['carol', 'video relinked', { videoId: v.id, from: clip, to: moved, sha256: v.sha256 }],
      ['carol', 'case details changed', { caseNumber: { from: 'T-1', to: 'T-2' }, title: { from: '', to: 'Harbour' } }],
    ]);
    assert.equal((await engine.verifyAudit()).ok, true);
    await engine.close();

    // The same through the CLI with --server: case show / set, relink.
    const shown = await runCli(['case', 'show', '--server', url, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(JSON.parse(shown.stdout).title, 'Harbour');
    assert.ok(!shown.stdout.includes('carol-pw-4410'), 'no password in output');
    assert.equal((await runCli(['case', 'set', '--server', url, '--title', 'Harbour east'])).code, 0);
    const relinked = await runCli(['relink', clip, '--server', url, '--json']);
    assert.equal(relinked.code, 0, relinked.stderr);
    assert.equal(JSON.parse(relinked.stdout).path, clip);
    const last = await pg.sql('details', 'SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2');
    assert.deepEqual(last.map((e) => e.action), ['video relinked', 'case details changed']);
  } finally {
    await engine.close();
    pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('demo --server: the sample case queued, indexed by a worker in the process and searched, on a team case', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const pg = await startPostgres();
  try {
    await pg.sql('postgres', "CREATE ROLE dana LOGIN PASSWORD 'dana-pw-2210'");
    await pg.sql('postgres', 'CREATE DATABASE demo OWNER dana');
    const url = pg.url('dana', 'dana-pw-2210', 'demo');
    const r = await runCli(['demo', '--server', url, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { hits: { video: string }[]; interpretation: unknown };
    assert.ok(out.hits.length > 0 && out.hits.every((h) => path.basename(h.video) === 'sample-street.mp4'), r.stdout.slice(0, 500));
    assert.ok(out.interpretation, 'a description search, interpreted');
    const [v] = await pg.sql('demo', 'SELECT status, (SELECT count(*) FROM sightings) AS n FROM videos');
    assert.equal(v.status, 'done');
    assert.ok(Number(v.n) > 0);
    assert.ok(!(r.stdout + r.stderr).includes('dana-pw-2210'), 'no password in output');
  } finally {
    pg.stop();
  }
});

/** script(1) (util-linux) runs a command on a pseudo-terminal: the only way to test a prompt meant for a person. */
const scriptBin = ['/usr/bin/script', '/bin/script'].find((p) => fs.existsSync(p));

test('team server password: asked at the terminal, hidden, when nothing else gives one; never asked without a terminal', { skip: skip ?? (scriptBin ? false : 'script(1) not installed'), timeout: 120_000 }, async () => {
  const pg = await startPostgres();
  const home = tempDir('team-pw-home');
  try {
    const PW = 'erin-Typed-pw-5521';
    await pg.sql('postgres', `CREATE ROLE erin LOGIN PASSWORD '${PW}'`);
    await pg.sql('postgres', 'CREATE DATABASE typed OWNER erin');
    const withPw = pg.url('erin', PW, 'typed');
    assert.equal((await runCli(['case', 'create', '--server', withPw, '--case-number', 'T-PW'])).code, 0);
    const noPw = withPw.replace(`:${PW}@`, '@');
    assert.notEqual(noPw, withPw);
    // Nothing else supplies the password: no PGPASSWORD, no password file.
    const env = { ...process.env, HOME: home, PGPASSWORD: '', PGPASSFILE: path.join(home, 'no-pgpass'), SIGHTLINE_PROVIDER: 'cpu' };

    // Without a terminal (a script, a worker): no prompt, a clear refusal at once.
    const scripted = await runCli(['case', 'show', '--server', noPw], { HOME: home, PGPASSWORD: '', PGPASSFILE: path.join(home, 'no-pgpass') });
    assert.equal(scripted.code, 1);
    assert.match(scripted.stderr, /asks for a password and none was given: put it in PGPASSWORD or ~\/\.pgpass, or run the command at a terminal/);
    assert.ok(!scripted.stderr.includes('Password for'), 'no prompt without a terminal');

    // At a terminal: the prompt names user and server; the password typed after it is not echoed.
    const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
    const child = spawn(scriptBin!, ['-qec', [process.execPath, BIN, 'case', 'show', '--server', noPw].map(quote).join(' '), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!typed && /Password for erin@127\.0\.0\.1:\d+: $/.test(out)) { typed = true; child.stdin.write(`${PW}\r`); }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.ok(typed, `prompted: ${out}`);
    assert.equal(code, 0, out);
    assert.match(out, /case number +T-PW/);
    assert.match(out, /investigator +erin/);
    assert.ok(!out.includes(PW), `the typed password is not shown: ${out}`);
  } finally {
    pg.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
