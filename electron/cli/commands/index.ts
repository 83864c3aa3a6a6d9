// sightline index <path...> --db <case.sqlite> [--fps N] [--cores N] [--investigator NAME] [--case-number N] [--no-proxies] [--json]
import { Engine } from '../../engine/api';
import { isTeam } from '../teamArgs';
import { coresSchema, fpsSchema } from '../../common/contract';
import { checkedNumber, parse, requireDb, UsageError } from '../args';
import { progressPrinter } from '../progress';

const USAGE = 'sightline index <path...> --db <case.sqlite> [--fps N] [--investigator "<name>"] [--case-number <number>] [--cores N] [--no-proxies] [--json]';

export async function run(args: string[]): Promise<number> {
  // A team case on a PostgreSQL server (cli/team.ts).
  if (isTeam(args)) return (await import('../team')).index(args);
  const { values, positionals } = parse(args, {
    db: { type: 'string' }, fps: { type: 'string' }, cores: { type: 'string' }, json: { type: 'boolean' }, investigator: { type: 'string' }, 'case-number': { type: 'string' },
    'no-proxies': { type: 'boolean' },
  }, USAGE);
  const db = requireDb(values.db, USAGE);
  if (positionals.length === 0) throw new UsageError(`give at least one video file or folder\nusage: ${USAGE}`);
  const fps = checkedNumber(values.fps, '--fps', fpsSchema, USAGE);
  // Cores indexing may use (0 = all); files are indexed several at once within them.
  const cores = checkedNumber(values.cores, '--cores', coresSchema, USAGE);
  if (values.investigator !== undefined && values.investigator.trim() === '') throw new UsageError(`--investigator must not be empty\nusage: ${USAGE}`);
  const engine = new Engine();
  const stop = (): void => { void engine.close().then(() => process.exit(130)); };
  process.once('SIGINT', stop);
  try {
    // Names a new case; on an existing case they change it, audited, as "sightline case set" does.
    await engine.openOrCreateCase(db, { investigator: values.investigator, caseNumber: values['case-number'] });
    engine.onProgress(progressPrinter(!!values.json));
    if (!values.json) process.stderr.write(`model: ${await engine.ivtModelInUse()}\n`);
    const report = await engine.importPaths({ paths: positionals, fps, cores });
    // Playable copies of videos the app's player cannot play as they are (AVI, MJPEG, HEVC, …).
    if (!values['no-proxies']) {
      const p = await engine.makeProxies();
      if (p.made || p.failed) process.stderr.write(`playable proxies: made ${p.made}, failed ${p.failed}\n`);
    }
    for (const f of report.failed) process.stderr.write(`sightline: ${f.path}: ${f.reason}\n`);
    for (const d of report.duplicates) {
      // A video that was not done yet was resumed by this run, not skipped.
      if (report.indexed.includes(d.videoId)) process.stderr.write(`sightline: ${d.path}: resumed (video ${d.videoId})\n`);
      else process.stderr.write(`sightline: ${d.path}: already in the case (video ${d.videoId})\n`);
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ type: 'result', ...report })}\n`);
    else process.stderr.write(`indexed ${report.indexed.length}, duplicates ${report.duplicates.length}, failed ${report.failed.length}\n`);
    return report.failed.length ? 1 : 0;
  } finally {
    process.off('SIGINT', stop);
    await engine.close();
  }
}
