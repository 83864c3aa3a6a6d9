// sightline export --db <case.sqlite> --out <dir> [--bookmarks all|id,...] [--pad S] [--json]
import { Engine } from '../../engine/api';
import { defaultUser, openDb } from '../../engine/case/caseFile';
import { exportEvidence } from '../../engine/evidence/export';
import { DEFAULT_DETECTOR, DEFAULT_IVT, loadDetectorManifest, loadIvtManifest } from '../../engine/vision/manifest';
import { parse, requireDb, UsageError } from '../args';

const USAGE = 'sightline export --db <case.sqlite> --out <dir> [--bookmarks all|1,2,...] [--pad seconds] [--json]';

/**
 * The models in use, as the report states them. A model that is not installed here does not stop
 * an export (the case's own record of which models indexed each video goes into every item anyway).
 */
function modelsInUse(): { id: string; version: string }[] {
  const detector = process.env.SIGHTLINE_DETECTOR_MODEL || DEFAULT_DETECTOR;
  const ivt = process.env.SIGHTLINE_IVT_MODEL || DEFAULT_IVT;
  const read = (id: string, load: (id: string) => { id: string; version: string }): { id: string; version: string } => {
    try { const m = load(id); return { id: m.id, version: m.version }; } catch { return { id, version: 'not installed on this machine' }; }
  };
  return [read(detector, loadDetectorManifest), read(ivt, loadIvtManifest)];
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    db: { type: 'string' }, out: { type: 'string' }, bookmarks: { type: 'string' }, pad: { type: 'string' }, json: { type: 'boolean' },
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
  const padS = values.pad === undefined ? undefined : Number(values.pad);
  if (padS !== undefined && (!Number.isFinite(padS) || padS < 0)) throw new UsageError(`--pad: "${values.pad}" is not a number of seconds\nusage: ${USAGE}`);

  const ff = new Engine().ffmpeg(); // ffmpeg from the user's settings, as the app resolves it
  const db = openDb(requireDb(values.db, USAGE));
  try {
    const report = await exportEvidence(db, { ffmpeg: ff.ffmpeg, ffprobe: ff.ffprobe, user: defaultUser(), models: modelsInUse() },
      { outDir: values.out, bookmarks, padS });
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${report.items} item(s) exported to ${report.bundleDir}\n`);
    for (const r of report.refused) process.stderr.write(`sightline export: bookmark ${r.bookmarkId} refused: ${r.reason}\n`);
    // A bundle was written, but not everything asked for is in it: say so in the exit code.
    return report.refused.length ? 3 : 0;
  } finally {
    db.close();
  }
}
