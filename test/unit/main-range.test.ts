// Range header handling shared by the media protocol and the test bridge.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseRange, rangeResponse } from '../../electron/gateway/range';

test('range: no header means the whole file', () => {
  assert.deepEqual(parseRange(undefined, 1000), { kind: 'full' });
  assert.deepEqual(parseRange(null, 1000), { kind: 'full' });
  assert.deepEqual(parseRange('', 1000), { kind: 'full' });
});

test('range: open-ended, bounded and suffix ranges', () => {
  assert.deepEqual(parseRange('bytes=0-', 1000), { kind: 'partial', start: 0, end: 999 });
  assert.deepEqual(parseRange('bytes=100-199', 1000), { kind: 'partial', start: 100, end: 199 });
  assert.deepEqual(parseRange('bytes=900-5000', 1000), { kind: 'partial', start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-500', 1000), { kind: 'partial', start: 500, end: 999 });
  assert.deepEqual(parseRange('bytes=-5000', 1000), { kind: 'partial', start: 0, end: 999 });
  assert.deepEqual(parseRange('BYTES=5-5', 1000), { kind: 'partial', start: 5, end: 5 });
});

test('range: multiple, malformed and out-of-range requests are unsatisfiable', () => {
  for (const h of ['bytes=0-1,5-9', 'bytes=1000-', 'bytes=5-4', 'bytes=-0', 'bytes=-', 'items=0-1', 'bytes=a-b', 'bytes=0-1-2', 'bytes 0-1', `bytes=${'9'.repeat(20)}-`]) {
    assert.deepEqual(parseRange(h, 1000), { kind: 'unsatisfiable' }, h);
  }
  assert.deepEqual(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' });
});

test('range: response headers for 200, 206 and 416', () => {
  const full = rangeResponse(null, 1000, 'video/mp4');
  assert.equal(full.status, 200);
  assert.equal(full.headers['Content-Length'], '1000');
  assert.equal(full.headers['Accept-Ranges'], 'bytes');
  assert.equal(full.headers['Content-Range'], undefined);

  const part = rangeResponse('bytes=-500', 1000, 'video/mp4');
  assert.equal(part.status, 206);
  assert.equal(part.headers['Content-Range'], 'bytes 500-999/1000');
  assert.equal(part.headers['Content-Length'], '500');
  assert.deepEqual(part.span, { start: 500, end: 999 });

  const bad = rangeResponse('bytes=0-1,3-4', 1000, 'video/mp4');
  assert.equal(bad.status, 416);
  assert.equal(bad.headers['Content-Range'], 'bytes */1000');
  assert.equal(bad.span, null);
});
