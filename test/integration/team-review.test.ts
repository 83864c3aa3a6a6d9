// Review on a team case (real PostgreSQL, test/helpers/postgres.ts): a real worker indexes a short clip
// in two chunks; the same clip indexed by one process into a case file is the reference. The stitch
// pass stores each sighting's thumbnail (the crop the case file stores, decoded again from the
// footage); same person, sightings, tracks and track strips go through the same Engine methods and CLI
// commands and give what the case file gives; a rejected result drops out of searches and the entry
// names the database role; an AVI team video gets a proxy in the user's cache, served by the media protocol.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { Engine, EngineError } from '../../electron/engine/api';
import { answerMediaRequest } from '../../electron/gateway/mediaProtocol';
import { parseMediaUrl } from '../../electron/common/media';
import { runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres';

const skip = postgresSkipReason();
const ALICE_PW = 'Al1ce-review-pw-42';
const BOB_PW = 'B0b-review-pw-17';
const ENV = { SIGHTLINE_QUEUE_MAINTENANCE_S: '1', SIGHTLINE_MOTION_GATING: '0' };

let pg: TestPostgres;
let dir: string, clip: string, refFile: string, alice: string, bob: string;

/** Width, height and RGB pixels of a PNG as encodePng writes it (RGB8, filter 0 on every row). */
function decodePng(png: Buffer): { width: number; height: number; rgb: Buffer } {
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  let width = 0, height = 0;
  const idat: Buffer[] = [];
  for (let o = 8; o < png.length;) {
    const len = png.readUInt32BE(o), type = png.toString('ascii', o + 4, o + 8), body = png.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') { width = body.readUInt32BE(0); height = body.readUInt32BE(4); assert.equal(body[8], 8); assert.equal(body[9], 2, 'RGB'); }
    if (type === 'IDAT') idat.push(body);
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (width * 3 + 1), 'pixel data of the stated size');
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 3 + 1)], 0);
    raw.copy(rgb, y * width * 3, y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1));
  }
  return { width, height, rgb };
}

/** A sighting as both stores describe it (ids differ between them). */
const key = (s: { start_s: number; end_s: number; best_s: number }): string => `${s.start_s.toFixed(2)}-${s.end_s.toFixed(2)}@${s.best_s.toFixed(2)}`;

interface SightingKeyRow { id: number; start_s: number; end_s: number; best_s: number; thumbnail: Buffer | null }
function refSightings(): SightingKeyRow[] {
  const db = new Database(refFile, { readonly: true, fileMustExist: true });
  try { return db.prepare('SELECT id, start_s, end_s, best_s, thumbnail FROM sightings ORDER BY id').all() as SightingKeyRow[]; } finally { db.close(); }
}
async function teamSightings(): Promise<SightingKeyRow[]> {
  return (await pg.sql('case17', 'SELECT id, start_s, end_s, best_s, thumbnail FROM sightings ORDER BY id')).map((r) => ({ ...(r as unknown as SightingKeyRow), id: Number(r.id) }));
}

async function withEngine<T>(conn: string | null, fn: (e: Engine) => Promise<T>, opts: { settingsFile?: string } = {}): Promise<T> {
  const e = new Engine({ settingsFile: opts.settingsFile ?? path.join(dir, 'settings.json') });
  try {
    if (conn) await e.openTeamCase({ server: conn }); else await e.openCase(refFile);
    return await fn(e);
  } finally { await e.close(); }
}

before(async () => {
  if (skip) return;
  dir = tempDir('team-review');
  pg = await startPostgres();
  clip = path.join(dir, 'cam1', 'clip.mp4');
  fs.mkdirSync(path.dirname(clip));
  execFileSync('ffmpeg', ['-v', 'error', '-t', '8', '-i', SAMPLE_VIDEO, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
  await pg.sql('postgres', `CREATE ROLE alice LOGIN PASSWORD '${ALICE_PW}'`);
  await pg.sql('postgres', `CREATE ROLE bob LOGIN PASSWORD '${BOB_PW}' IN ROLE alice`);
  await pg.sql('postgres', 'CREATE DATABASE case17 OWNER alice');
  alice = pg.url('alice', ALICE_PW, 'case17');
  bob = pg.url('bob', BOB_PW, 'case17');
  for (const args of [['case', 'create', '--server', alice], ['index', clip, '--server', alice, '--chunk-s', '4'], ['worker', '--server', alice, '--until-done']]) {
    const r = await runCli(args, ENV);
    assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
  }
  refFile = path.join(dir, 'reference.sqlite');
  const ref = await runCli(['index', clip, '--db', refFile, '--no-proxies'], ENV);
  assert.equal(ref.code, 0, ref.stderr);
});

after(() => {
  if (skip) return;
  pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the stitch pass stores each sighting\'s thumbnail: the case file\'s crop, decoded as PNG; team hits carry it and the media protocol serves it', { skip: skip ?? false, timeout: 300_000 }, async () => {
  const want = new Map(refSightings().map((s) => [key(s), s]));
  const got = await teamSightings();
  assert.ok(got.length >= 3, `${got.length} team sightings`);
  assert.deepEqual(got.map(key).sort(), [...want.keys()].sort(), 'the same sightings as the case file');
  for (const s of got) {
    assert.ok(s.thumbnail, `sighting ${s.id} has a thumbnail`);
    const t = decodePng(s.thumbnail!);
    const r = decodePng(want.get(key(s))!.thumbnail!);
    assert.equal(t.height, 160);
    assert.deepEqual([t.width, t.height], [r.width, r.height], `sighting ${s.id}: the case file's thumbnail size`);
    let diff = 0;
    for (let i = 0; i < t.rgb.length; i++) diff += Math.abs(t.rgb[i] - r.rgb[i]);
    assert.ok(diff / t.rgb.length < 1, `sighting ${s.id}: mean pixel difference ${diff / t.rgb.length} from the case file's crop`);
  }

  await withEngine(alice, async (e) => {
    const r = await e.search({ text: 'person', top: 5 });
    assert.ok(r.hits.length > 0);
    for (const h of r.hits) {
      assert.equal(h.thumbnail, `media://thumbnail/${h.sighting}`);
      const a = await answerMediaRequest(e, { url: h.thumbnail, method: 'GET', range: null });
      assert.equal(a.status, 200);
      assert.equal(a.headers['Content-Type'], 'image/png');
      const body = Buffer.concat(await a.body!.toArray() as Buffer[]);
      assert.deepEqual(body, got.find((s) => s.id === h.sighting)!.thumbnail);
    }
    assert.equal((await answerMediaRequest(e, { url: 'media://thumbnail/999999', method: 'GET', range: null })).status, 404);
  });
});

test('same person on a team case ranks as the case file does; CLI --same-person --server gives the same', { skip: skip ?? false, timeout: 300_000 }, async () => {
  const refKeys = new Map(refSightings().map((s) => [s.id, key(s)]));
  const teamKeys = new Map((await teamSightings()).map((s) => [s.id, key(s)]));
  const teamIdOf = new Map([...teamKeys].map(([id, k]) => [k, id]));
  const ref = await withEngine(null, async (e) => {
    // The sighting with the most detections: a person worth following.
    const query = (await e.listSightings({})).sort((a, b) => b.detections.length - a.detections.length)[0];
    return { query, result: await e.searchSamePerson({ sightingId: query.id, top: 50 }), similar: await e.searchSimilar({ sightingId: query.id, top: 3 }) };
  });
  assert.ok(ref.result.hits.length >= 2, `${ref.result.hits.length} same-person hits in the reference`);
  const teamQuery = teamIdOf.get(refKeys.get(ref.query.id)!)!;
  assert.ok(teamQuery, 'the query sighting exists on the team case');
  const team = await withEngine(bob, async (e) => ({ result: await e.searchSamePerson({ sightingId: teamQuery, top: 50 }), similar: await e.searchSimilar({ sightingId: teamQuery, top: 3 }) }));
  const ranking = (hits: { sighting: number; score: number }[], keys: Map<number, string>) => hits.map((h) => keys.get(h.sighting));
  assert.deepEqual(ranking(team.result.hits, teamKeys), ranking(ref.result.hits, refKeys));
  team.result.hits.forEach((h, i) => assert.ok(Math.abs(h.score - ref.result.hits[i].score) < 2e-3, `score ${h.score} vs ${ref.result.hits[i].score}`));
  assert.deepEqual(team.result.follow.map((f) => teamKeys.get(f.sighting)), ref.result.follow.map((f) => refKeys.get(f.sighting)));
  assert.deepEqual(ranking(team.similar.hits, teamKeys), ranking(ref.similar.hits, refKeys));
  assert.equal(team.similar.nextOffset, ref.similar.nextOffset);
  // Team hits are shaped by the same code: video path, thumbnail URL.
  assert.equal(team.result.hits[0].video, clip);
  assert.match(team.result.hits[0].thumbnail, /^media:\/\/thumbnail\/\d+$/);

  const cli = await runCli(['search', '--same-person', String(teamQuery), '--server', alice, '--top', '50', '--json'], ENV);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual((JSON.parse(cli.stdout) as { hits: { sighting: number }[] }).hits.map((h) => h.sighting), team.result.hits.map((h) => h.sighting));
  const audit = await pg.sql('case17', "SELECT actor, details FROM audit_log WHERE action = 'search run' AND details LIKE '%samePersonAs%'");
  assert.ok(audit.some((a) => a.actor === 'bob') && audit.some((a) => a.actor === 'alice'), 'each same-person search audited under its role');
  const none = await withEngine(alice, (e) => e.searchSamePerson({ sightingId: 999999 }).then(() => null, (err: Error) => err));
  assert.match(String(none), /sighting 999999: not in this case/);
});

test('sightings, track, track strip and sighting on a team case: as the case file gives them; missing footage is named', { skip: skip ?? false, timeout: 300_000 }, async () => {
  const shape = (out: string) => (JSON.parse(out) as { start: number; end: number; video: string; detections: unknown[] }[])
    .map((s) => JSON.stringify([s.start, s.end, s.video, s.detections])).sort();
  const [team, ref] = await Promise.all([runCli(['sightings', '--server', bob, '--json'], ENV), runCli(['sightings', '--db', refFile, '--json'], ENV)]);
  assert.equal(team.code, 0, team.stderr);
  assert.ok(shape(team.stdout).length >= 3);
  assert.deepEqual(shape(team.stdout), shape(ref.stdout));

  const [s] = (await teamSightings()).sort((a, b) => b.end_s - b.start_s - (a.end_s - a.start_s));
  await withEngine(alice, async (e) => {
    const sighting = await e.getSighting(s.id);
    assert.equal(sighting.id, s.id);
    assert.equal(sighting.thumbnail, `media://thumbnail/${s.id}`);
    const track = await e.getTrack(s.id);
    assert.equal(track.points.length, sighting.detectionCount);
    const strip = await e.getTrackStrip(s.id);
    assert.equal(strip.detections, sighting.detectionCount);
    assert.equal(strip.crops.length, Math.min(12, sighting.detectionCount), 'every chosen detection\'s frame was decoded');
    for (const c of strip.crops) assert.equal(decodePng(Buffer.from(c.image.replace(/^data:image\/png;base64,/, ''), 'base64')).height, 96);
    const video = await e.mediaFile({ kind: 'video', videoId: sighting.videoId });
    assert.deepEqual(video && video.kind === 'file' && [video.path, video.mime], [clip, 'video/mp4']);
    assert.equal(await e.mediaFile({ kind: 'video', videoId: 999 }), null, 'only the case\'s videos');

    const moved = `${clip}.moved`;
    fs.renameSync(clip, moved);
    try {
      await assert.rejects(e.getTrackStrip(s.id), (err: Error) => err instanceof EngineError && err.message.includes(clip) && /not found on this machine/.test(err.message));
    } finally { fs.renameSync(moved, clip); }
  });
});

test('a rejected result drops out of team searches (unless asked for); reject and restore are audited with the role', { skip: skip ?? false, timeout: 300_000 }, async () => {
  await withEngine(bob, async (e) => {
    const before = await e.search({ text: 'person', top: 50 });
    const victim = before.hits[0].sighting;
    await e.rejectSighting(victim, 'not a person');
    const afterReject = await e.search({ text: 'person', top: 50 });
    assert.ok(!afterReject.hits.some((h) => h.sighting === victim), 'hidden');
    assert.deepEqual(afterReject.hits.slice(0, before.hits.length - 1).map((h) => h.sighting), before.hits.slice(1).map((h) => h.sighting), 'the others keep their order');
    const all = await e.search({ text: 'person', top: 50, includeRejected: true });
    assert.equal(all.hits.find((h) => h.sighting === victim)?.rejected, 'not a person');
    const row = (await pg.sql('case17', 'SELECT reason, by FROM rejections WHERE sighting_id = $1', [victim]))[0];
    assert.deepEqual(row, { reason: 'not a person', by: 'bob' });
    await e.rejectSighting(victim, null);
    assert.ok((await e.search({ text: 'person', top: 50 })).hits.some((h) => h.sighting === victim), 'restored');
    await assert.rejects(e.rejectSighting(999999, 'not relevant'), /sighting 999999: not in this case/);
    const entries = await pg.sql('case17', "SELECT actor, action, details FROM audit_log WHERE action IN ('result rejected', 'result restored') ORDER BY seq");
    assert.deepEqual(entries.map((a) => [a.actor, a.action, JSON.parse(String(a.details))]), [
      ['bob', 'result rejected', { sightingId: victim, from: null, to: 'not a person' }],
      ['bob', 'result restored', { sightingId: victim, from: 'not a person', to: null }],
    ]);
    assert.equal((await e.verifyAudit()).ok, true);
  });
});

test('an AVI team video gets a proxy in this user\'s cache (named by its SHA-256), served over the media protocol', { skip: skip ?? false, timeout: 300_000 }, async () => {
  const avi = path.join(dir, 'cam2', 'old-dvr.avi');
  fs.mkdirSync(path.dirname(avi));
  execFileSync('ffmpeg', ['-v', 'error', '-t', '2', '-i', SAMPLE_VIDEO, '-an', '-c:v', 'mpeg4', '-q:v', '5', avi]);
  const imported = await runCli(['index', avi, '--server', alice, '--json'], ENV);
  assert.equal(imported.code, 0, imported.stderr);
  const videoId = JSON.parse(imported.stdout).indexed[0] as number;
  const sha = String((await pg.sql('case17', 'SELECT sha256 FROM videos WHERE id = $1', [videoId]))[0].sha256);
  const cache = path.join(dir, 'my-cache');
  const footage = fs.readdirSync(path.dirname(avi));
  await withEngine(alice, async (e) => {
    await e.setSettings({ proxyDir: cache });
    const pending = (await e.status()).playback.find((p) => p.videoId === videoId)!;
    assert.equal(pending.state, 'pending');
    assert.match(pending.reason, /avi/);
    assert.equal(await e.mediaFile({ kind: 'proxy', videoId }), null, 'no proxy yet');
    assert.ok(!fs.existsSync(cache), 'nothing made at open');
    // The player asks for the footage: the original is served and its proxy made, on demand.
    const original = await e.mediaFile({ kind: 'video', videoId });
    assert.equal(original?.kind === 'file' && original.path, avi);
    assert.deepEqual(await e.makeProxies([videoId]), { made: 0, failed: 0 }, 'made already, when the player asked for it');
    const files = fs.readdirSync(cache);
    assert.equal(files.length, 1);
    assert.ok(files[0].startsWith(sha), files[0]);
    assert.deepEqual(fs.readdirSync(path.dirname(avi)), footage, 'nothing written beside the footage');
    const ready = (await e.status()).playback.find((p) => p.videoId === videoId)!;
    assert.equal(ready.state, 'ready');
    assert.deepEqual(parseMediaUrl(ready.url), { kind: 'proxy', videoId });
    const a = await answerMediaRequest(e, { url: ready.url, method: 'GET', range: 'bytes=0-99' });
    assert.equal(a.status, 206);
    assert.equal(a.headers['Content-Type'], 'video/mp4');
    assert.equal(Buffer.concat(await a.body!.toArray() as Buffer[]).length, 100);
    const codec = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path.join(cache, files[0])]).toString().trim();
    assert.equal(codec, 'h264');
    assert.deepEqual(await e.makeProxies(), { made: 0, failed: 0 }, 'a run over every video redoes nothing');
  });
  // Another user's cache: the footage gone from this machine fails by name.
  const moved = `${avi}.moved`;
  fs.renameSync(avi, moved);
  try {
    await withEngine(alice, async (e) => {
      await e.setSettings({ proxyDir: path.join(dir, 'other-cache') });
      assert.deepEqual(await e.makeProxies(), { made: 0, failed: 1 });
      const failed = (await e.status()).playback.find((p) => p.videoId === videoId)!;
      assert.equal(failed.state, 'failed');
      assert.ok(failed.error!.includes(avi) && /not found on this machine/.test(failed.error!), failed.error!);
    }, { settingsFile: path.join(dir, 'settings-2.json') });
  } finally { fs.renameSync(moved, avi); }
});
