// sightline sightings --db <case.sqlite> | --server <conn> [--video ID] [--json]: every sighting with its detections
// (time, bbox, score), so anyone can check what the tracker grouped.
import { Engine } from '../../engine/api';
import { idSchema } from '../../common/contract';
import { checkedNumber, openCaseFor, parse } from '../args';
import { formatDuration } from '../progress';

const USAGE = 'sightline sightings --db <case.sqlite> | --server <conn> [--video ID] [--json]';

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, server: { type: 'string' }, video: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const videoId = checkedNumber(values.video, '--video', idSchema, USAGE);
  const engine = new Engine();
  try {
    await openCaseFor(engine, values, USAGE, { readonly: true });
    const sightings = await engine.listSightings({ videoId });
    if (values.json) { process.stdout.write(`${JSON.stringify(sightings)}\n`); return 0; }
    for (const s of sightings) {
      process.stdout.write(`sighting ${s.id}  video ${s.videoId}  ${formatDuration(s.start)}–${formatDuration(s.end)}  ${s.detections.length} detections\n`);
      for (const d of s.detections) process.stdout.write(`  ${formatDuration(d.time).padEnd(10)}${d.bbox.join(',').padEnd(22)}${d.score.toFixed(2)}\n`);
    }
    if (!sightings.length) process.stdout.write('no sightings\n');
    return 0;
  } finally {
    await engine.close();
  }
}
