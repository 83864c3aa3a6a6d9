// The team-case forms of index, status and audit verify (--server <postgres://…>, or SIGHTLINE_SERVER
// without --db), and the commands only a team case has (case create, worker); every other command
// reaches a team case through the Engine (args.ts openCaseFor). The connection string is taken from the
// flag or the environment and never printed: messages carry its redacted form only.
import { spawn, type ChildProcess } from 'node:child_process';
import { fpsSchema } from '../common/contract';
import { TeamCase, DEFAULT_CHUNK_S } from '../engine/team/teamCase';
import { runWorker, type WorkerEvent } from '../engine/team/worker';
import { redact, scrub, serverFrom } from '../engine/team/server';
import { describeChoice, describeModelInUse, explicitIvtModel, resolveIvtModel } from '../engine/vision/caseModel';
import { loadIvtModel } from '../engine/vision/manifest';
import { resolveFfmpeg } from '../engine/video/ffmpegPath';
import { DEFAULT_SETTINGS } from '../engine/settings';
import { checkedNumber, number, parse, UsageError } from './args';
import { formatDuration } from './progress';
import { withPromptedPassword } from './password';
export { isTeam } from './teamArgs';

/** The connection string from --server or SIGHTLINE_SERVER, with a typed password when one is due (cli/password.ts). */
async function server(value: string | undefined, usage: string): Promise<string> {
  const s = serverFrom(value);
  if (!s) throw new UsageError(`--server <postgres://user@host/case-db> is required (or set SIGHTLINE_SERVER)\nusage: ${usage}`);
  return withPromptedPassword(s);
}

const ffmpeg = (): ReturnType<typeof resolveFfmpeg> => resolveFfmpeg({ ffmpegPath: DEFAULT_SETTINGS.ffmpegPath, ffprobePath: DEFAULT_SETTINGS.ffprobePath });

async function withCase<T>(conn: string, fn: (t: TeamCase) => Promise<T>): Promise<T> {
  const t = await TeamCase.open(conn);
  try { return await fn(t); } catch (e) { throw new Error(scrub((e as Error).message, conn)); } finally { await t.close(); }
}

const CASE_USAGE = 'sightline case create --server <conn> [--case-number N] [--title T] [--json]';
export async function caseCreate(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { server: { type: 'string' }, 'case-number': { type: 'string' }, title: { type: 'string' }, json: { type: 'boolean' } }, CASE_USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${CASE_USAGE}`);
  const conn = await server(values.server, CASE_USAGE);
  // A new team case keeps the model configured at its creation (SIGHTLINE_IVT_MODEL, else the default): its workers and searches use it.
  const ivt = loadIvtModel(resolveIvtModel(explicitIvtModel(), undefined).model);
  const { team, created } = await TeamCase.create(conn, { caseNumber: values['case-number'], title: values.title, ivtModel: ivt.ref });
  try {
    const s = await team.status();
    if (values.json) process.stdout.write(`${JSON.stringify({ created, server: redact(conn), caseNumber: s.caseNumber, title: s.title, user: s.user, ivtModel: s.ivtModel })}\n`);
    else process.stdout.write(`${created ? 'created' : 'already exists'}: team case ${s.caseNumber || '(no number)'} on ${redact(conn)} (you are ${s.user}); model ${s.ivtModel ?? '(none yet)'}\n`);
    return 0;
  } finally {
    await team.close();
  }
}

const INDEX_USAGE = 'sightline index <path...> --server <conn> [--fps N] [--chunk-s S] [--job-timeout-s S] [--json]';
export async function index(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    server: { type: 'string' }, fps: { type: 'string' }, 'chunk-s': { type: 'string' }, 'job-timeout-s': { type: 'string' }, json: { type: 'boolean' },
  }, INDEX_USAGE);
  const conn = await server(values.server, INDEX_USAGE);
  if (!positionals.length) throw new UsageError(`give at least one video file or folder\nusage: ${INDEX_USAGE}`);
  const fps = checkedNumber(values.fps, '--fps', fpsSchema, INDEX_USAGE);
  const chunkS = number(values['chunk-s'], '--chunk-s', INDEX_USAGE) ?? DEFAULT_CHUNK_S;
  if (!(chunkS >= 1)) throw new UsageError(`--chunk-s must be at least 1 second\nusage: ${INDEX_USAGE}`);
  const jobTimeoutS = number(values['job-timeout-s'], '--job-timeout-s', INDEX_USAGE);
  if (jobTimeoutS !== undefined && !(jobTimeoutS >= 1)) throw new UsageError(`--job-timeout-s must be at least 1 second\nusage: ${INDEX_USAGE}`);
  return withCase(conn, async (t) => {
    const r = await t.importPaths(positionals, { fps, chunkS, jobTimeoutS: jobTimeoutS && Math.ceil(jobTimeoutS), ffprobe: ffmpeg().ffprobe });
    for (const f of r.failed) process.stderr.write(`sightline: ${f.path}: ${f.reason}\n`);
    for (const d of r.duplicates) process.stderr.write(`sightline: ${d.path}: already in the case (video ${d.videoId})\n`);
    if (values.json) process.stdout.write(`${JSON.stringify({ type: 'result', ...r })}\n`);
    else process.stderr.write(`imported ${r.indexed.length}, duplicates ${r.duplicates.length}, failed ${r.failed.length}; ${r.enqueued} chunk job(s) queued for workers\n`);
    return r.failed.length ? 1 : 0;
  });
}

const STATUS_USAGE = 'sightline status --server <conn> [--json]';
export async function status(args: string[]): Promise<number> {
  const { values } = parse(args, { server: { type: 'string' }, json: { type: 'boolean' } }, STATUS_USAGE);
  const conn = await server(values.server, STATUS_USAGE);
  return withCase(conn, async (t) => {
    const s = await t.status();
    if (values.json) { process.stdout.write(`${JSON.stringify(s)}\n`); return 0; }
    const out = [
      `team case    ${s.caseNumber || '(no number)'} on ${redact(conn)} (you are ${s.user})`,
      `model        ${describeModelInUse(resolveIvtModel(explicitIvtModel(), s.ivtModel))}`,
      `footage      ${s.doneS.toFixed(0)} of ${s.footageS.toFixed(0)} s indexed; chunks ${s.chunks.done}/${s.chunks.total} done, ${s.chunks.running} running, ${s.chunks.queued} queued, ${s.chunks.failed} failed, ${s.chunks.retried} retried`,
      `rate         ${s.rate === null ? '-' : `${s.rate.toFixed(2)} s of footage per s`}; ETA ${s.etaS === null ? '-' : formatDuration(s.etaS)}`,
      ...s.videos.map((v) => `  [${v.id}] ${v.status.padEnd(8)} ${v.chunksDone}/${v.chunks} chunks  ${v.durationS.toFixed(1)} s  ${v.path}`),
      `sightings    ${s.sightings}, detections ${s.detections}`,
      ...s.failures.map((f) => `  video ${f.videoId} chunk ${f.idx} failed: ${f.error}`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  });
}

const AUDIT_USAGE = 'sightline audit verify --server <conn> [--json]';
export async function auditVerify(args: string[]): Promise<number> {
  const { values } = parse(args, { server: { type: 'string' }, json: { type: 'boolean' } }, AUDIT_USAGE);
  const conn = await server(values.server, AUDIT_USAGE);
  return withCase(conn, async (t) => {
    const v = await t.verifyAudit();
    if (values.json) process.stdout.write(`${JSON.stringify(v)}\n`);
    if (v.ok) { if (!values.json) process.stdout.write(`OK: ${v.entries} audit entries, hash chain intact\n`); return 0; }
    for (const p of v.problems) process.stderr.write(`sightline audit: ${redact(conn)}: ${p}\n`);
    process.stderr.write(`sightline audit: FAILED: the audit log of the team case was altered (${v.problems.length} problem(s))\n`);
    return 1;
  });
}

const WORKER_USAGE = 'sightline worker --server <conn> [--concurrency N] [--path-map from=to]... [--until-done] [--json]';
export async function worker(args: string[]): Promise<number> {
  const { values } = parse(args, {
    server: { type: 'string' }, concurrency: { type: 'string' }, 'path-map': { type: 'string', multiple: true }, 'until-done': { type: 'boolean' }, json: { type: 'boolean' },
  }, WORKER_USAGE);
  const conn = await server(values.server, WORKER_USAGE);
  const concurrency = number(values.concurrency, '--concurrency', WORKER_USAGE) ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64\nusage: ${WORKER_USAGE}`);
  const pathMap = (values['path-map'] ?? []).map((m): [string, string] => {
    const i = m.indexOf('=');
    if (i <= 0 || i === m.length - 1) throw new UsageError(`--path-map "${m}": expected from=to (e.g. /mnt/evidence=/data/evidence)\nusage: ${WORKER_USAGE}`);
    return [m.slice(0, i), m.slice(i + 1)];
  });
  if (concurrency > 1) return workerPool(conn, concurrency, args);
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const print = (e: WorkerEvent): void => {
    if (values.json) { process.stdout.write(`${JSON.stringify(e)}\n`); return; }
    if (e.event === 'ready') process.stderr.write(`worker ${e.worker} ready (${e.provider}) on ${redact(conn)}; model ${describeChoice(e.ivtModel, e.ivtChosenBy)}\n`);
    else if (e.event === 'chunk-done') process.stderr.write(`video ${e.videoId} chunk ${e.idx}: ${e.skipped ? 'already done' : `${e.frames} frames, ${e.detections} detections, ${e.wallS.toFixed(1)} s`}${e.stitched ? '; video stitched' : ''}\n`);
    else if (e.event === 'chunk-failed') process.stderr.write(`video ${e.videoId} chunk ${e.idx} failed: ${e.error}\n`);
  };
  let outcome: Awaited<ReturnType<typeof runWorker>>;
  try {
    outcome = await runWorker(conn, {
      ffmpeg: ffmpeg().ffmpeg, provider: DEFAULT_SETTINGS.executionProvider, ivtModel: explicitIvtModel(), pathMap, untilDone: !!values['until-done'], signal: abort.signal, onEvent: print,
      maintenanceS: number(process.env.SIGHTLINE_QUEUE_MAINTENANCE_S, 'SIGHTLINE_QUEUE_MAINTENANCE_S', WORKER_USAGE),
    });
  } catch (e) {
    throw new Error(scrub((e as Error).message, conn));
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (outcome === 'failed') process.stderr.write('sightline worker: chunks failed for good (their errors are in "sightline status --server …"); run "sightline index --server …" again to retry them\n');
  return outcome === 'failed' ? 1 : 0;
}

/**
 * --concurrency N: N worker processes of one slot each (inference blocks its thread; a process per
 * slot also keeps one crash from taking the others down). The connection string goes to them in the
 * environment, never on a command line others can read in the process list.
 */
async function workerPool(conn: string, n: number, args: string[]): Promise<number> {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--server' || a === '--concurrency') { i++; continue; }
    if (a.startsWith('--server=') || a.startsWith('--concurrency=')) continue;
    rest.push(a);
  }
  const children: ChildProcess[] = [];
  const forward = (): void => { for (const c of children) c.kill('SIGTERM'); };
  process.once('SIGINT', forward);
  process.once('SIGTERM', forward);
  try {
    const codes = await Promise.all(Array.from({ length: n }, () => new Promise<number>((resolve) => {
      const c = spawn(process.execPath, [process.argv[1], 'worker', ...rest], { env: { ...process.env, SIGHTLINE_SERVER: conn }, stdio: ['ignore', 'inherit', 'inherit'] });
      children.push(c);
      c.on('close', (code) => resolve(code ?? 1));
    })));
    return codes.some((c) => c !== 0) ? 1 : 0;
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
