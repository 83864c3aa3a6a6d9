// sightline index <path...> --db <case.sqlite> [--fps N] [--no-proxies] [--json]
import { Engine } from '../../engine/api';
import { fpsSchema } from '../../common/contract';
import { checkedNumber, parse, requireDb, UsageError } from '../args';
import { progressPrinter } from '../progress';

const USAGE = 'sightline index <path...> --db <case.sqlite> [--fps N] [--no-proxies] [--json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, fps: { type: 'string' }, json: { type: 'boolean' }, 'no-proxies': { type: 'boolean' } }, USAGE);
  const db = requireDb(values.db, USAGE);
  if (positionals.length === 0) throw new UsageError(`give at least one video file or folder\nusage: ${USAGE}`);
  const fps = checkedNumber(values.fps, '--fps', fpsSchema, USAGE);
  const engine = new Engine();
  const stop = (): void => { void engine.close().then(() => process.exit(130)); };
  process.once('SIGINT', stop);
  try {
    await engine.openOrCreateCase(db);
    engine.onProgress(progressPrinter(!!values.json));
    const report = await engine.importPaths({ paths: positionals, fps });
    // Playable copies of videos the app's player cannot play as they are (AVI, MJPEG, HEVC, …).
    if (!values['no-proxies']) {
      const p = await engine.makeProxies();
      if (p.made || p.failed) process.stderr.write(`playable proxies: made ${p.made}, failed ${p.failed}\n`);
    }
    for (const f of report.failed) process.stderr.write(`sightline: ${f.path}: ${f.reason}\n`);
    for (const d of report.duplicates) process.stderr.write(`sightline: ${d.path}: already in the case (video ${d.videoId})\n`);
    if (values.json) process.stdout.write(`${JSON.stringify({ type: 'result', ...report })}\n`);
    else process.stderr.write(`indexed ${report.indexed.length}, duplicates ${report.duplicates.length}, failed ${report.failed.length}\n`);
    return report.failed.length ? 1 : 0;
  } finally {
    process.off('SIGINT', stop);
    await engine.close();
  }
}
