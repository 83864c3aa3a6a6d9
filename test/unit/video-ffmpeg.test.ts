// The ffmpeg/ffprobe runner: conventions on every run, errors that name the file and keep only a
// stderr tail, abort, and the streaming mode with its fd-3 side channel (real ffmpeg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conventionalArgs, FfmpegError, fileUrl, runCollect, runFfmpeg, runFfprobe, spawnFfmpeg } from '../../electron/engine/video/ffmpeg';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';

const tools = resolveFfmpeg();

test('every run gets -hide_banner (and -nostdin for ffmpeg) once, in front', () => {
  assert.deepEqual(conventionalArgs('ffmpeg', ['-v', 'error', '-nostdin', '-i', 'file:/x']), ['-hide_banner', '-nostdin', '-v', 'error', '-i', 'file:/x']);
  assert.deepEqual(conventionalArgs('ffprobe', ['-hide_banner', '-codecs']), ['-hide_banner', '-codecs']);
  assert.equal(fileUrl('a b/-x.mp4'), `file:${path.resolve('a b/-x.mp4')}`);
});

test('a failed run rejects with an FfmpegError naming the file, the exit code and the last log lines', async () => {
  const missing = path.join(os.tmpdir(), `sightline-no-such-${process.pid}.mp4`);
  await assert.rejects(runFfprobe(tools.ffprobe, ['-v', 'error', '-show_format', fileUrl(missing)], { file: missing }), (e: unknown) => {
    assert.ok(e instanceof FfmpegError);
    assert.equal(e.file, missing);
    assert.equal(e.tool, 'ffprobe');
    assert.ok(e.code !== 0 && e.code !== null);
    assert.ok(e.message.startsWith(`${missing}: ffprobe failed: `), e.message);
    assert.match(e.message, /No such file or directory/);
    assert.ok(e.stderrTail.length > 0 && e.stderrTail.length <= 200);
    return true;
  });
  // runCollect hands the failure to the caller instead.
  const r = await runCollect('ffprobe', tools.ffprobe, ['-v', 'error', '-show_format', fileUrl(missing)]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, '');
});

test('a program that cannot start is named', async () => {
  await assert.rejects(runFfmpeg('/nonexistent/ffmpeg', ['-version']), /ffmpeg failed: cannot run '\/nonexistent\/ffmpeg': program not found/);
});

test('stdout is the data: ffprobe JSON comes back whole, whatever stderr says', async () => {
  const r = await runFfprobe(tools.ffprobe, ['-v', 'info', '-f', 'lavfi', '-show_entries', 'stream=width,height', '-of', 'json', 'testsrc2=size=64x48:rate=10']);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout).streams, [{ width: 64, height: 48 }]);
});

test('abort kills a running ffmpeg and rejects with AbortError', async () => {
  const ac = new AbortController();
  const p = runFfmpeg(tools.ffmpeg, ['-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=10', '-t', '60', '-f', 'null', '-'], { signal: ac.signal });
  setTimeout(() => ac.abort(), 200);
  const t0 = Date.now();
  await assert.rejects(p, (e: Error) => e.name === 'AbortError');
  assert.ok(Date.now() - t0 < 10_000);
});

test('a timeout kills the run and says so', async () => {
  await assert.rejects(
    runFfmpeg(tools.ffmpeg, ['-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=10', '-t', '60', '-f', 'null', '-'], { timeoutMs: 300 }),
    /ffmpeg failed: timed out after 0 s/,
  );
});

test('streaming mode: frames on stdout, side-channel lines on fd 3, exit checked', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-ffmpeg-'));
  try {
    // Per-frame timestamps through the metadata filter to pipe:3 (the way a sampler can read them
    // without touching stderr), frames to stdout.
    const s = spawnFfmpeg(tools.ffmpeg, [
      '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=32x24:rate=5', '-frames:v', '4',
      '-vf', 'signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=pipe\\\\:3', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
    ], { sideChannel: true });
    const chunks: Buffer[] = [];
    let side = '';
    s.sideChannel!.setEncoding('utf8');
    s.sideChannel!.on('data', (d: string) => { side += d; });
    for await (const c of s.stdout) chunks.push(c as Buffer);
    const exit = await s.exited;
    assert.equal(exit.code, 0, s.stderrTail().join('\n'));
    s.check();
    assert.equal(Buffer.concat(chunks).length, 32 * 24 * 4);
    assert.equal((side.match(/pts_time:/g) ?? []).length, 4, side);
    assert.equal(s.running(), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('streaming mode: a failing decoder is reported by check() with the file', async () => {
  const bad = path.join(os.tmpdir(), `sightline-not-video-${process.pid}.mp4`);
  fs.writeFileSync(bad, 'this is text, not a video\n');
  try {
    const s = spawnFfmpeg(tools.ffmpeg, ['-v', 'error', '-i', fileUrl(bad), '-f', 'rawvideo', 'pipe:1'], { file: bad });
    for await (const _ of s.stdout) { /* nothing */ }
    await s.exited;
    assert.throws(() => s.check(), (e: unknown) => e instanceof FfmpegError && e.file === bad && e.message.startsWith(`${bad}: ffmpeg failed`));
  } finally {
    fs.rmSync(bad, { force: true });
  }
});
