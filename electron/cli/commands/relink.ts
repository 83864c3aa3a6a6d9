// sightline relink --db <case.sqlite> | --server <conn> [--video ID] <new-path>
// Moved footage: points a video of the case at its new place. The file is matched by its SHA-256 (the
// hash recorded at import), and the engine re-hashes it before accepting: a different file is refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../engine/api';
import { sha256File } from '../../engine/video/hash';
import { idSchema } from '../../common/contract';
import { checkedNumber, openCaseFor, parse, UsageError } from '../args';

const USAGE = 'sightline relink --db <case.sqlite> | --server <conn> [--video ID] <new-path>';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, server: { type: 'string' }, video: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1) throw new UsageError(`give the new path of one video file\nusage: ${USAGE}`);
  const file = path.resolve(positionals[0]);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`${file}: no such file\nusage: ${USAGE}`);
  let videoId = checkedNumber(values.video, '--video', idSchema, USAGE);
  const engine = new Engine();
  try {
    await openCaseFor(engine, values, USAGE);
    if (videoId === undefined) {
      const hash = await sha256File(file);
      const match = (await engine.listVideos()).find((v) => v.sha256 === hash);
      if (!match) { process.stderr.write(`sightline relink: ${file}: no video of this case has this content (SHA-256 ${hash})\n`); return 1; }
      videoId = match.id;
    }
    const v = await engine.relinkVideo(videoId, file);
    if (values.json) process.stdout.write(`${JSON.stringify(v)}\n`);
    else process.stdout.write(`video ${v.id} relinked: ${v.path} (SHA-256 matches the import)\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
