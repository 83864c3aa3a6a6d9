// sightline export --db <case.sqlite> | --server <postgres://…> --out <dir> [--bookmarks all|id,...] [--pad S] [--json]
import * as path from 'node:path';
import { padSchema } from '../../common/contract';
import { Engine } from '../../engine/api';
import { checkedNumber, openCaseFor, parse, UsageError } from '../args';

const USAGE = 'sightline export --db <case.sqlite> | --server <postgres://…> --out <dir> [--bookmarks all|1,2,...] [--pad seconds] [--json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    db: { type: 'string' }, server: { type: 'string' }, out: { type: 'string' }, bookmarks: { type: 'string' }, pad: { type: 'string' }, json: { type: 'boolean' },
  }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  if (!values.out) throw new UsageError(`--out <dir> is required\nusage: ${USAGE}`);
  const spec = values.bookmarks ?? 'all';
  let bookmarks: 'all' | number[] = 'all';
  if (spec !== 'all') {
    const parts = spec.split(',').map((p) => p.trim());
    if (parts.some((p) => !/^\d{1,12}$/.test(p) || Number(p) <= 0)) throw new UsageError(`--bookmarks: "${spec}" is not "all" or a list of bookmark ids\nusage: ${USAGE}`);
    bookmarks = parts.map(Number);
  }
  const padS = checkedNumber(values.pad, '--pad', padSchema, USAGE);

  // The engine resolves ffmpeg from the user's settings and names its models, as the app does.
  const engine = new Engine();
  try {
    await openCaseFor(engine, values, USAGE);
    const report = await engine.exportEvidence({ outDir: path.resolve(values.out), bookmarks, padS });
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${report.items} item(s) exported to ${report.bundleDir}\n`);
    for (const r of report.refused) process.stderr.write(`sightline export: bookmark ${r.bookmarkId} refused: ${r.reason}\n`);
    // A bundle was written, but not everything asked for is in it: say so in the exit code.
    return report.refused.length ? 3 : 0;
  } finally {
    await engine.close();
  }
}
