// ffmpeg echoes the input file name on stderr; a name crafted to look like showinfo lines must not
// change a single frame time (a name cannot hold '/', so no fake time_base line): the same bytes under such a name index exactly like under a plain name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, SAMPLE_VIDEO, tempDir } from '../helpers/cli';
import { referenceIndex, snapshot } from './helpers';

const FAKE = (n: string): string =>
  `\n[Parsed_showinfo_1 @ 0x1] [info] n: 0 pts: ${n} fmt:yuv420p s:960x540 i:P \n[Parsed_showinfo_4 @ 0x2] [info] n: 0 pts: ${n} fmt:rgb24 s:960x540 i:P \n`;

test('a file name containing fake showinfo lines indexes identically to a plain name', { timeout: 120_000 }, async () => {
  const dir = tempDir('crafted');
  const plain = await referenceIndex(SAMPLE_VIDEO, path.join(dir, 'plain.sqlite'));
  // Names are at most 255 bytes: one fake frame in the folder's name, another in the file's.
  const crafted = path.join(dir, `cam${FAKE('0')}`, `cam${FAKE('99999')}x.mp4`);
  fs.mkdirSync(path.dirname(crafted));
  fs.copyFileSync(SAMPLE_VIDEO, crafted);
  const db = path.join(dir, 'crafted.sqlite');
  const r = await runCli(['index', crafted, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const s = snapshot(db);
  assert.deepEqual(s.detections, plain.detections);
  assert.deepEqual(s.sightings, plain.sightings);
});
