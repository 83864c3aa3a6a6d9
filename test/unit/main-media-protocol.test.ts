// The media protocol serves only what the case resolves (imported videos, thumbnails), with Range.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { answerMediaRequest, mediaRefFromUrl, toBridgeMediaPath, type MediaFile, type MediaFileSource } from '../../electron/gateway/mediaProtocol';
import type { MediaRef } from '../../electron/engine/media';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-media-'));
const videoPath = path.join(dir, 'cam1.mp4');
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
fs.writeFileSync(videoPath, bytes);
const thumb = Buffer.from('thumbnail-bytes');

/** A case with one imported video (id 1), one missing file (id 2) and one thumbnail (sighting 7). */
const source: MediaFileSource = {
  mediaFile(ref: MediaRef): MediaFile | null {
    if (ref.kind === 'video' && ref.videoId === 1) return { kind: 'file', path: videoPath, mime: 'video/mp4' };
    if (ref.kind === 'video' && ref.videoId === 2) return { kind: 'file', path: path.join(dir, 'gone.mp4'), mime: 'video/mp4' };
    if (ref.kind === 'video' && ref.videoId === 3) return { kind: 'file', path: dir, mime: 'video/mp4' };
    if (ref.kind === 'video' && ref.videoId === 4) return { kind: 'file', path: '\\\\evil-host\\share\\cam.mp4', mime: 'video/mp4' };
    if (ref.kind === 'video' && ref.videoId === 5) return { kind: 'file', path: '\\\\.\\PhysicalDrive0', mime: 'video/mp4' };
    if (ref.kind === 'video' && ref.videoId === 6) return { kind: 'file', path: '\\\\?\\C:\\cam.mp4', mime: 'video/mp4' };
    if (ref.kind === 'thumbnail' && ref.sightingId === 7) return { kind: 'bytes', data: thumb, mime: 'image/png' };
    return null;
  },
};

async function body(a: { body: NodeJS.ReadableStream | null }): Promise<Buffer> {
  if (!a.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const c of a.body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

test('media urls: only the two exact shapes parse', () => {
  assert.deepEqual(mediaRefFromUrl('media://video/12'), { kind: 'video', videoId: 12 });
  assert.deepEqual(mediaRefFromUrl('media://thumbnail/3'), { kind: 'thumbnail', sightingId: 3 });
  assert.deepEqual(mediaRefFromUrl('/media/video/12'), { kind: 'video', videoId: 12 });
  assert.deepEqual(mediaRefFromUrl('/media/thumbnail/3?x=1'), { kind: 'thumbnail', sightingId: 3 });
  assert.deepEqual(mediaRefFromUrl('media://proxy/12'), { kind: 'proxy', videoId: 12 });
  assert.deepEqual(mediaRefFromUrl('/media/proxy/12'), { kind: 'proxy', videoId: 12 });
  for (const u of ['media://proxy/0', 'media://proxy/1/../2', 'media://proxies/1', '/media/proxy/x']) assert.equal(mediaRefFromUrl(u), null, u);
  for (const u of ['media://video/../etc/passwd', 'media://video/0', 'media://video/-1', 'media://video/1/2', 'media://file/1', 'media://video/%31',
    '/media/../video/1', '/media/video/abc', 'file:///etc/passwd', 'media://video/C:\\x', '/media/video/1/../../x', 'http://media/video/1']) {
    assert.equal(mediaRefFromUrl(u), null, u);
  }
  assert.equal(toBridgeMediaPath('media://thumbnail/3'), '/media/thumbnail/3');
  assert.equal(toBridgeMediaPath('https://x/y'), 'https://x/y');
});

test('media protocol: whole file, ranges and suffix ranges of an imported video', async () => {
  const full = await answerMediaRequest(source, { url: 'media://video/1', method: 'GET', range: null });
  assert.equal(full.status, 200);
  assert.deepEqual(await body(full), bytes);

  const part = await answerMediaRequest(source, { url: 'media://video/1', method: 'GET', range: 'bytes=10-19' });
  assert.equal(part.status, 206);
  assert.equal(part.headers['Content-Range'], 'bytes 10-19/1000');
  assert.deepEqual(await body(part), bytes.subarray(10, 20));

  const tail = await answerMediaRequest(source, { url: '/media/video/1', method: 'GET', range: 'bytes=-100' });
  assert.equal(tail.status, 206);
  assert.deepEqual(await body(tail), bytes.subarray(900));

  const bad = await answerMediaRequest(source, { url: 'media://video/1', method: 'GET', range: 'bytes=0-1,4-5' });
  assert.equal(bad.status, 416);
  assert.equal(bad.body, null);
});

test('media protocol: thumbnails come from the case as bytes', async () => {
  const a = await answerMediaRequest(source, { url: 'media://thumbnail/7', method: 'GET', range: null });
  assert.equal(a.status, 200);
  assert.equal(a.headers['Content-Type'], 'image/png');
  assert.deepEqual(await body(a), thumb);
});

test('media protocol: anything not imported, missing or not a file is 404; other methods 405', async () => {
  for (const url of ['media://video/99', 'media://thumbnail/1', 'media://video/2', 'media://video/3', `file://${videoPath}`, '/media/video/../1']) {
    const a = await answerMediaRequest(source, { url, method: 'GET', range: null });
    assert.equal(a.status, 404, url);
  }
  const post = await answerMediaRequest(source, { url: 'media://video/1', method: 'POST', range: null });
  assert.equal(post.status, 405);
  const head = await answerMediaRequest(source, { url: 'media://video/1', method: 'HEAD', range: null });
  assert.equal(head.status, 200);
  assert.equal(head.body, null);
});

test('media protocol: a throwing source is a 404, not a crash', async () => {
  const a = await answerMediaRequest({ mediaFile() { throw new Error('no case open'); } }, { url: 'media://video/1', method: 'GET', range: null });
  assert.equal(a.status, 404);
});

test('media protocol: UNC and device paths read from a case are refused (403) before any file system call', async () => {
  for (const id of [4, 5, 6]) {
    const a = await answerMediaRequest(source, { url: `media://video/${id}`, method: 'GET', range: null });
    assert.equal(a.status, 403, `video ${id}`);
  }
  const { isRemoteOrDevicePath } = await import('../../electron/common/paths');
  for (const p of ['\\\\server\\share\\a.mp4', '//server/share/a.mp4', '\\\\.\\COM1', '\\\\?\\UNC\\srv\\x']) assert.equal(isRemoteOrDevicePath(p), true, p);
  for (const p of ['/home/a.mp4', 'C:\\cctv\\a.mp4', 'C:/cctv/a.mp4']) assert.equal(isRemoteOrDevicePath(p), false, p);
});
