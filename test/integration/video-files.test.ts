// File-level helpers against the real file system and tools: hashing, folder scanning, ffmpeg lookup.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256File } from '../../electron/engine/video/hash';
import { scanPaths } from '../../electron/engine/video/scan';
import { FFMPEG_NOT_FOUND, clearFfmpegCache, findOnPath, resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { makeMixedFolder, makeTempDir, makeTestVideo, makeTextFile, makeUnicodeLongPath } from '../fixtures/videos';

let dir = '';
before(() => {
  dir = makeTempDir();
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;

describe('sha256File', () => {
  it('matches sha256sum, for a video, an empty file and a unicode long path', async () => {
    const files = [
      makeTestVideo(dir, { name: 'h.mp4', durationS: 1, fps: 10, width: 160, height: 120 }),
      path.join(dir, 'empty.bin'),
      makeUnicodeLongPath(dir),
    ];
    fs.writeFileSync(files[1], '');
    for (const f of files) {
      const want = execFileSync('sha256sum', ['--', f], { encoding: 'utf8' }).split(' ')[0];
      assert.equal(await sha256File(f), want);
    }
    assert.equal(await sha256File(files[1]), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('a file larger than one read chunk', async () => {
    const f = path.join(dir, 'big.bin');
    const buf = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 31 + (i >> 11)) & 0xff;
    fs.writeFileSync(f, buf);
    const want = execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(await sha256File(f), want);
  });

  it('rejects for a missing file', async () => {
    await assert.rejects(sha256File(path.join(dir, 'missing.mp4')), /ENOENT/);
  });
});

describe('scanPaths', () => {
  it('walks folders recursively in a stable order, taking only video names; explicit files always', async () => {
    const { root, videos } = makeMixedFolder(dir);
    const notes = makeTextFile(dir, 'notes.txt');
    const res = await scanPaths([root, notes, path.join(dir, 'gone')]);
    // Each folder's entries sorted by name (byte order), sub-folders walked where they sort.
    assert.deepEqual(res.files, [
      path.join(root, 'cam1.mp4'),
      path.join(root, 'cam2', 'B.MOV'),
      path.join(root, 'cam2', 'night', 'a.mkv'),
      notes,
    ]);
    assert.deepEqual(new Set(res.files.slice(0, 3)), new Set(videos));
    assert.deepEqual(res.failures, [{ path: path.join(dir, 'gone'), reason: 'no such file or directory' }]);
  });

  it('survives symlink loops, lists a file reached twice once, reports dangling video links', async () => {
    const root = path.join(dir, 'loops');
    fs.mkdirSync(path.join(root, 'a'), { recursive: true });
    makeTestVideo(path.join(root, 'a'), { name: 'v.mp4', durationS: 1, fps: 10, width: 160, height: 120 });
    fs.symlinkSync('..', path.join(root, 'a', 'up')); // a/up → loops
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'b')); // b → a
    fs.symlinkSync(path.join(root, 'nowhere.mp4'), path.join(root, 'dangling.mp4'));
    const res = await scanPaths([root, root]);
    assert.deepEqual(res.files, [path.join(root, 'a', 'v.mp4')]);
    assert.deepEqual(res.failures, [{ path: path.join(root, 'dangling.mp4'), reason: 'no such file or directory' }]);
  });

  it('reports an unreadable subfolder', { skip: isRoot ? 'running as root: permissions are not enforced' : false }, async () => {
    const root = path.join(dir, 'perm');
    fs.mkdirSync(path.join(root, 'locked'), { recursive: true });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const res = await scanPaths([root]);
      assert.deepEqual(res.failures, [{ path: path.join(root, 'locked'), reason: 'unreadable (permission denied)' }]);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});

describe('resolveFfmpeg', () => {
  it('finds ffmpeg/ffprobe on PATH when ffmpeg-static is absent', () => {
    clearFfmpegCache();
    const r = resolveFfmpeg();
    let staticInstalled = true;
    try {
      require.resolve('ffmpeg-static');
    } catch {
      staticInstalled = false;
    }
    assert.equal(r.source, staticInstalled ? 'ffmpeg-static' : 'PATH');
    assert.match(execFileSync(r.ffmpeg, ['-version'], { encoding: 'utf8' }), /^ffmpeg version/);
    assert.match(execFileSync(r.ffprobe, ['-version'], { encoding: 'utf8' }), /^ffprobe version/);
    assert.equal(resolveFfmpeg(), r, 'cached');
  });

  it('a setting wins; ffprobe is taken from beside it; a wrong setting is a clear error', () => {
    const ffmpeg = findOnPath('ffmpeg');
    assert.ok(ffmpeg);
    const r = resolveFfmpeg({ ffmpegPath: ffmpeg });
    assert.equal(r.source, 'setting');
    assert.equal(r.ffmpeg, ffmpeg);
    assert.equal(path.basename(r.ffprobe), 'ffprobe');
    assert.throws(() => resolveFfmpeg({ ffmpegPath: path.join(dir, 'no-ffmpeg') }), /ffmpeg not found at/);
  });

  it('no ffmpeg anywhere: the Settings hint', () => {
    const saved = process.env.PATH;
    clearFfmpegCache();
    try {
      process.env.PATH = dir;
      assert.equal(findOnPath('ffmpeg'), null);
      let staticInstalled = true;
      try {
        require.resolve('ffmpeg-static');
      } catch {
        staticInstalled = false;
      }
      if (!staticInstalled) assert.throws(() => resolveFfmpeg(), { message: FFMPEG_NOT_FOUND });
    } finally {
      process.env.PATH = saved;
      clearFfmpegCache();
    }
  });
});
