// The desktop app's engine runs in a worker thread behind EngineHost: the same API, reached by
// messages, with progress events and media lookups — exercised here with the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { startEngineHost } from '../../electron/engine/host';
import type { ProgressEvent } from '../../electron/engine/contract';
import { SAMPLE_VIDEO, tempDir } from '../helpers/cli';

test('EngineHost: case, import with progress, search, thumbnail and video lookups, errors cross the thread', { timeout: 180_000 }, async () => {
  const dir = tempDir('host');
  const host = startEngineHost({ settingsFile: path.join(dir, 'settings.json'), user: 'tester' });
  try {
    await assert.rejects(host.listVideos(), /no case is open/);
    // The error's code crosses the thread too: callers switch on it, not on the wording.
    await assert.rejects(host.listVideos(), (e: unknown) => (e as { code?: string }).code === 'NO_CASE');
    await assert.rejects(host.getSighting(999), (e: unknown) => (e as { code?: string }).code === 'NO_CASE');
    const info = await host.createCase({ path: path.join(dir, 'case.sqlite'), caseNumber: 'C-1', investigator: 'tester' });
    assert.equal(info.caseNumber, 'C-1');
    const events: ProgressEvent[] = [];
    const off = host.onProgress((e) => events.push(e));
    const report = await host.importPaths({ paths: [SAMPLE_VIDEO] });
    off();
    assert.equal(report.indexed.length, 1);
    assert.ok(events.some((e) => e.phase === 'indexing'));
    assert.equal(events.at(-1)?.phase, 'done');

    // The main thread stays free while the engine thread searches: a timer fires meanwhile.
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    const result = await host.search({ text: 'woman in a red jacket', top: 3 });
    clearInterval(timer);
    assert.ok(result.hits.length > 0);
    assert.ok(ticks > 0);

    const thumb = await host.mediaFile({ kind: 'thumbnail', sightingId: result.hits[0].sighting });
    assert.ok(thumb && thumb.kind === 'bytes' && thumb.mime === 'image/png');
    assert.deepEqual([...(thumb as { data: Uint8Array }).data.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const video = await host.mediaFile({ kind: 'video', videoId: report.indexed[0] });
    assert.deepEqual(video && video.kind === 'file' ? video.path : null, SAMPLE_VIDEO);
    assert.equal(await host.mediaFile({ kind: 'video', videoId: 999 }), null);
  } finally {
    await host.close();
  }
});
