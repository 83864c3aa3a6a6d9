// The original-format clip keeps the original's container when ffmpeg can write it (AVI here), and
// falls back to Matroska, saying so, when it cannot (a recorder's ".dav" name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { makeEvidenceCase, TEST_MODELS, testSigningKey } from '../fixtures/evidenceCase';
import { addBookmark } from '../../electron/engine/evidence/bookmarks';
import { exportEvidence } from '../../electron/engine/evidence/export';
import { verifyBundle } from '../../electron/engine/evidence/verify';
import type { Manifest } from '../../electron/engine/evidence/manifestTypes';

for (const [fileName, container] of [['cam.avi', 'avi'], ['cam.dav', 'mkv']] as const) {
  test(`${fileName}: stream copy into ${container}, keyframe-aligned, times measured`, async () => {
    const fx = await makeEvidenceCase({ fileName });
    try {
      addBookmark(fx.db, 'u', { sightingId: fx.sightings[1].id });
      const r = await exportEvidence(fx.db, { ffmpeg: fx.ffmpeg, ffprobe: fx.ffprobe, user: 'u', models: TEST_MODELS, signingKey: testSigningKey(fx.dir) }, { outDir: path.join(fx.dir, 'out'), bookmarks: 'all', padS: 0.3 });
      const m = require(path.join(r.bundleDir, 'manifest.json')) as Manifest;
      const clip = m.items[0].files.originalClip;
      assert.equal(clip.container, container);
      assert.ok(clip.path.endsWith(`.${container}`));
      assert.equal(clip.actualStartS, 3); // keyframe before 3.2 s
      const codec = execFileSync(fx.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path.join(r.bundleDir, clip.path)], { encoding: 'utf8' }).trim();
      assert.equal(codec, 'h264'); // copied, not re-encoded
      assert.ok(clip.actualEndS >= 4.7 && clip.actualEndS <= 5, String(clip.actualEndS));
      assert.ok(verifyBundle(r.bundleDir).ok);
    } finally {
      fx.cleanup();
    }
  });
}
