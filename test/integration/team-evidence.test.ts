// Bookmarks and evidence export on a team case, on a real PostgreSQL server (test/helpers/postgres.ts)
// with a real worker process indexing a short clip of the sample street: bookmarks are added, listed,
// edited and removed through the same CLI commands as on a case file (--server in place of --db), each
// change with its audit entry naming the acting database role (not a typed name). An export from the
// team case is a bundle verifyBundle accepts, whose manifest lists the bookmarked item and whose audit
// copy verifies; `sightline verify --server` finds the export in the team case's log. A changed or
// missing original is refused with an error naming the file, and no export is recorded; a note edited
// behind the log's back fails `audit verify` and blocks export, as on a case file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, SAMPLE_VIDEO, tempDir, type CliResult } from '../helpers/cli';
import { postgresSkipReason, startPostgres } from '../helpers/postgres';
import { verifyBundle } from '../../electron/engine/evidence/verify';
import { verifyAuditRows, type AuditRow } from '../../electron/engine/case/audit';
import type { Manifest } from '../../electron/engine/evidence/manifestTypes';
import type { Bookmark, ExportReport } from '../../electron/common/contract';

const skip = postgresSkipReason() ?? (fs.existsSync(SAMPLE_VIDEO) ? null : `${SAMPLE_VIDEO} is missing`);
const ALICE_PW = 'Al1ce-evidence-pw-3b8e';
const BOB_PW = 'B0b-evidence-pw-c41a';

test('team case: bookmarks with role-named audit entries, a verified export, changed and missing originals refused', { skip: skip ?? false, timeout: 600_000 }, async () => {
  const dir = tempDir('team-evidence');
  const pg = await startPostgres();
  const outputs: string[] = [];
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
    // A typed name in SIGHTLINE_USER must not become the actor of a team-case entry.
    const r = await runCli(args, { HOME: dir, SIGHTLINE_HOME: path.join(dir, 'home'), SIGHTLINE_USER: 'Typed Name', SIGHTLINE_QUEUE_MAINTENANCE_S: '1', ...env });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  try {
    const clip = path.join(dir, 'cam1', 'street.mp4');
    fs.mkdirSync(path.dirname(clip));
    execFileSync('ffmpeg', ['-v', 'error', '-t', '6', '-i', SAMPLE_VIDEO, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
    await pg.sql('postgres', `CREATE ROLE alice LOGIN PASSWORD '${ALICE_PW}'`);
    await pg.sql('postgres', `CREATE ROLE bob LOGIN PASSWORD '${BOB_PW}' IN ROLE alice`);
    await pg.sql('postgres', 'CREATE DATABASE evidence17 OWNER alice');
    const alice = pg.url('alice', ALICE_PW, 'evidence17');
    const bob = pg.url('bob', BOB_PW, 'evidence17');

    assert.equal((await cli(['case', 'create', '--server', alice, '--case-number', 'T-EV'])).code, 0);
    assert.equal((await cli(['index', clip, '--server', alice, '--chunk-s', '4'])).code, 0);
    const worked = await cli(['worker', '--server', alice, '--until-done']);
    assert.equal(worked.code, 0, worked.stderr);
    const sightings = await pg.sql('evidence17', 'SELECT id FROM sightings ORDER BY detection_count DESC, id');
    assert.ok(sightings.length >= 2, `the clip gives ${sightings.length} sighting(s)`);
    const [s1, s2] = sightings.map((s) => Number(s.id));
    const video = (await pg.sql('evidence17', 'SELECT sha256 FROM videos'))[0];

    // Bookmarks through the same command as a case file's, with --server.
    const added = await cli(['bookmark', 'add', '--server', bob, '--sighting', String(s1), '--note', 'suspect, red jacket', '--query', 'person in a red jacket', '--score', '0.42', '--json']);
    assert.equal(added.code, 0, added.stderr);
    const b1 = JSON.parse(added.stdout) as Bookmark;
    assert.equal(b1.sightingId, s1);
    assert.equal(b1.note, 'suspect, red jacket');
    assert.equal(b1.hit.sighting, s1);
    assert.equal(b1.hit.video, clip);
    assert.equal(b1.hit.camera, 'cam1');
    assert.ok(b1.hit.end > b1.hit.start);
    // The case file's checks, the same words.
    const unknown = await cli(['bookmark', 'add', '--server', bob, '--sighting', '999999']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /sighting 999999 does not exist in this case/);
    const b2 = JSON.parse((await cli(['bookmark', 'add', '--server', alice, '--sighting', String(s2), '--json'])).stdout) as Bookmark;
    assert.equal((await cli(['bookmark', 'edit', '--server', alice, String(b1.id), '--note', 'suspect, red jacket, walks east'])).code, 0);
    assert.equal((await cli(['bookmark', 'remove', '--server', alice, String(b2.id)])).code, 0);
    const gone = await cli(['bookmark', 'edit', '--server', alice, String(b2.id), '--note', 'x']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, new RegExp(`bookmark ${b2.id} does not exist`));
    // The connection string from the environment works too, as for every team command.
    const listed = await cli(['bookmark', 'list', '--json'], { SIGHTLINE_SERVER: bob });
    assert.equal(listed.code, 0, listed.stderr);
    const list = JSON.parse(listed.stdout) as Bookmark[];
    assert.deepEqual(list.map((b) => [b.id, b.note]), [[b1.id, 'suspect, red jacket, walks east']]);
    assert.equal(list[0].query, 'person in a red jacket');
    assert.equal(list[0].score, 0.42);

    const entries = (await pg.sql('evidence17', "SELECT actor, action, details FROM audit_log WHERE action LIKE 'bookmark%' ORDER BY seq"))
      .map((e) => ({ actor: e.actor, action: e.action, details: JSON.parse(String(e.details)) as Record<string, unknown> }));
    assert.deepEqual(entries.map((e) => [e.actor, e.action, e.details.bookmarkId]), [
      ['bob', 'bookmark added', b1.id], ['alice', 'bookmark added', b2.id], ['alice', 'bookmark edited', b1.id], ['alice', 'bookmark removed', b2.id],
    ]);
    assert.deepEqual(entries[0].details, { bookmarkId: b1.id, sightingId: s1, note: 'suspect, red jacket', query: 'person in a red jacket', score: 0.42 });
    assert.equal(entries[2].details.noteBefore, 'suspect, red jacket');
    assert.equal((await cli(['audit', 'verify', '--server', alice])).code, 0);

    // Export from the team case, as bob.
    const out = path.join(dir, 'out');
    const exported = await cli(['export', '--server', bob, '--out', out, '--pad', '0.5', '--json']);
    assert.equal(exported.code, 0, exported.stderr);
    const report = JSON.parse(exported.stdout) as ExportReport;
    assert.equal(report.items, 1);
    assert.deepEqual(report.refused, []);
    const verdict = verifyBundle(report.bundleDir);
    assert.ok(verdict.ok, verdict.problems.join('\n'));
    const m = JSON.parse(fs.readFileSync(path.join(report.bundleDir, 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(m.user, 'bob');
    assert.equal(m.case.caseNumber, 'T-EV');
    assert.match(m.case.caseFile, /^postgres:\/\/bob:\*\*\*@127\.0\.0\.1:\d+\/evidence17$/);
    assert.equal(m.items.length, 1);
    const item = m.items[0];
    assert.equal(item.bookmarkId, b1.id);
    assert.equal(item.sightingId, s1);
    assert.equal(item.bookmarkedBy, 'bob');
    assert.equal(item.note, 'suspect, red jacket, walks east');
    assert.equal(item.source.path, clip);
    assert.equal(item.source.sha256, video.sha256);
    assert.ok(item.sighting.detections > 0);
    assert.equal(typeof item.onePerson.passed, 'boolean', 'the one-person check ran on the team case\'s ReID vectors');
    assert.ok(m.queries.includes('person in a red jacket'));
    for (const f of [item.files.originalClip.path, item.files.annotatedClip.path, item.files.snapshot.path]) {
      assert.ok(fs.statSync(path.join(report.bundleDir, f)).size > 0, f);
      assert.ok(m.files.some((x) => x.path === f), `${f} listed in the manifest`);
    }
    // The audit copy is the team case's chain, and verifies on its own.
    assert.equal(m.audit.chainVerified, true);
    const copy = fs.readFileSync(path.join(report.bundleDir, m.audit.file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRow);
    assert.ok(verifyAuditRows(copy).ok);
    assert.ok(copy.some((r) => r.user === 'bob' && r.action === 'bookmark added'));
    const made = await pg.sql('evidence17', "SELECT actor, details FROM audit_log WHERE action = 'export made'");
    assert.equal(made.length, 1);
    assert.equal(made[0].actor, 'bob');
    // verify against the team case: its log records this very export.
    const checked = await cli(['verify', report.bundleDir, '--server', alice]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /case: audit entry \d+ \(.*, bob\) records this export/);
    assert.equal((await cli(['verify', report.bundleDir])).code, 0);

    // Investigators bookmarking at once: every change lands with its entry, and the chain stays whole.
    const together = await Promise.all([alice, bob, alice, bob].map((who, i) => cli(['bookmark', 'add', '--server', who, '--sighting', String(s2), '--note', `at once ${i}`, '--json'])));
    for (const r of together) assert.equal(r.code, 0, r.stderr);
    const ids = together.map((r) => (JSON.parse(r.stdout) as Bookmark).id);
    assert.equal(new Set(ids).size, 4);
    const logged = await pg.sql('evidence17', "SELECT actor, details FROM audit_log WHERE action = 'bookmark added' ORDER BY seq");
    assert.deepEqual(ids.map((id) => logged.find((e) => JSON.parse(String(e.details)).bookmarkId === id)?.actor).sort(), ['alice', 'alice', 'bob', 'bob']);
    assert.equal((await cli(['audit', 'verify', '--server', bob])).code, 0);
    for (const id of ids) assert.equal((await cli(['bookmark', 'remove', '--server', bob, String(id)])).code, 0);

    // A changed original (same size, other bytes) is refused by name; nothing is exported or recorded.
    const original = fs.readFileSync(clip);
    const changed = Buffer.from(original);
    changed[Math.floor(changed.length / 2)] ^= 0xff;
    fs.writeFileSync(clip, changed);
    const refused = await cli(['export', '--server', bob, '--out', out]);
    fs.writeFileSync(clip, original);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /source video changed since import/);
    assert.ok(refused.stderr.includes(clip), refused.stderr);
    // A missing original likewise.
    fs.renameSync(clip, `${clip}.moved`);
    const missing = await cli(['export', '--server', bob, '--out', out]);
    fs.renameSync(`${clip}.moved`, clip);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /source video missing/);
    assert.ok(missing.stderr.includes(clip), missing.stderr);
    assert.equal((await pg.sql('evidence17', "SELECT count(*) AS n FROM audit_log WHERE action = 'export made'"))[0].n, '1');
    assert.deepEqual(fs.readdirSync(out), [path.basename(report.bundleDir)], 'no partial bundle left behind');

    // A note changed behind the log's back (a superuser's UPDATE): `audit verify` and export both refuse.
    await pg.sql('evidence17', 'UPDATE bookmarks SET note = $1 WHERE id = $2', ['planted', b1.id]);
    const bad = await cli(['audit', 'verify', '--server', alice]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`bookmark ${b1.id}: its note differs from the last note recorded in the audit log`));
    const blocked = await cli(['export', '--server', bob, '--out', out]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /the case disagrees with its audit log, nothing was exported/);
    const against = await cli(['verify', report.bundleDir, '--server', alice]);
    assert.equal(against.code, 1);
    assert.match(against.stderr, /the audit log of postgres:\/\/alice:\*\*\*@127\.0\.0\.1:\d+\/evidence17 was altered: .*its note differs/);

    // No credential in any output or in the bundle.
    const bundleText = fs.readdirSync(report.bundleDir).filter((f) => /\.(json|jsonl)$/.test(f)).map((f) => fs.readFileSync(path.join(report.bundleDir, f), 'utf8')).join('');
    for (const pw of [ALICE_PW, BOB_PW]) {
      assert.ok(!bundleText.includes(pw), 'password in the bundle');
      for (const o of outputs) assert.ok(!o.includes(pw), `password in output: ${o.slice(0, 300)}`);
    }
  } finally {
    pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
