// sightline status --db <case.sqlite> [--json]
import { Engine } from '../../engine/api';
import { isTeam } from '../teamArgs';
import { parse, requireDb } from '../args';
import { chosenByText } from '../../engine/vision/caseModel';

const USAGE = 'sightline status --db <case.sqlite> [--json]';

export async function run(args: string[]): Promise<number> {
  // A team case on a PostgreSQL server (cli/team.ts).
  if (isTeam(args)) return (await import('../team')).status(args);
  const { values } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const engine = new Engine();
  try {
    // Read-only: looking at a case (or at a file that is not one) never changes it.
    await engine.openCase(requireDb(values.db, USAGE), { readonly: true });
    const s = await engine.status();
    const videos = await engine.listVideos();
    if (values.json) { process.stdout.write(`${JSON.stringify({ ...s, videoList: videos })}\n`); return 0; }
    const out: string[] = [];
    out.push(`case         ${s.case?.path}${s.case?.caseNumber ? ` (case ${s.case.caseNumber}, ${s.case.investigator})` : ''}`);
    out.push(`videos       ${s.videos.total} (done ${s.videos.done}, indexing ${s.videos.indexing}, queued ${s.videos.queued}, failed ${s.videos.failed})`);
    for (const v of videos) out.push(`  [${v.id}] ${v.status.padEnd(8)} ${(v.progress * 100).toFixed(0).padStart(3)}%  ${v.durationS.toFixed(1)} s ${v.width}x${v.height} ${v.codec}  ${v.path}${v.error ? `\n        error: ${v.error}` : ''}`);
    for (const p of s.playback) out.push(`  [${p.videoId}] playback ${p.state}${p.reason ? ` (${p.reason})` : ''}: ${p.file}${p.proxySizeBytes !== null ? ` (${(p.proxySizeBytes / 1e6).toFixed(1)} MB)` : ''}${p.error ? `\n        proxy error: ${p.error}` : ''}`);
    out.push(`sightings    ${s.sightings}, embeddings ${s.embeddings}`);
    for (const m of s.models) out.push(`model        ${m.kind.padEnd(9)}${m.id} ${m.version}${m.chosenBy ? ` (${chosenByText(m.chosenBy)})` : ''}`);
    out.push(`provider     ${s.executionProvider}`);
    out.push(`ffmpeg       ${s.ffmpeg.ffmpeg} (${s.ffmpeg.source})`);
    if (s.failures.length) {
      out.push(`failures     ${s.failures.length}`);
      for (const f of s.failures) out.push(`  ${f.path}: ${f.reason}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
