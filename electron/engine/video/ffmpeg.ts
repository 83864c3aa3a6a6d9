// The one door through which ffmpeg and ffprobe are started. Conventions every call gets:
// - no shell (file names with quotes or spaces are never parsed by one), stdin closed, -hide_banner,
//   and -nostdin for ffmpeg (it would otherwise read keystrokes from an inherited terminal);
// - local files are passed as `file:` URLs (fileUrl), so "concat:x" or "-x" are never read as anything else;
// - stdout is the data; stderr is kept only as a short diagnostic tail (ffmpeg echoes the input file
//   name there, so it is never parsed as data — the sampler's frame times are read only from lines
//   that begin with its per-run random filter name, see video/sampler.ts);
// - a non-zero exit, a timeout, an abort or a program that cannot start becomes an FfmpegError that
//   names the program, the file being worked on and the last lines ffmpeg logged;
// - streaming mode (spawnFfmpeg) hands stdout over as a stream for long-running decoders, with an
//   optional extra pipe on fd 3 for side-channel data (e.g. frame timestamps written by a filter to
//   `pipe:3`), so the data channel never has to share stderr with the log.
// Where the programs live is decided by ffmpegPath.ts (setting → ffmpeg-static → PATH).
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { abortError } from './errors';

export { resolveFfmpeg, clearFfmpegCache, type FfmpegPaths } from './ffmpegPath';

/** Lines of stderr kept for diagnostics (the end of the log is where the reason is). */
const STDERR_TAIL_LINES = 200;
const DEFAULT_MAX_STDOUT = 64 << 20;

/** ffmpeg argument naming a local file; the "file:" protocol stops names like "concat:x" or "-x" being read as anything else. */
export function fileUrl(file: string): string {
  return `file:${path.resolve(file)}`;
}

/** Seconds as ffmpeg reads them: never negative, microsecond precision. */
export function secs(x: number): string {
  return Math.max(0, x).toFixed(6);
}

export type FfmpegTool = 'ffmpeg' | 'ffprobe';

export class FfmpegError extends Error {
  /** Which program, by role. */
  readonly tool: FfmpegTool;
  /** The executable that was run. */
  readonly program: string;
  /** The file the run was about, when there is one. */
  readonly file: string | null;
  /** Exit code, or null when killed or never started. */
  readonly code: number | null;
  /** The last lines ffmpeg logged: a diagnostic, never data. */
  readonly stderrTail: readonly string[];
  /** "ffmpeg failed: <why>", for a caller that names the file itself. */
  readonly detail: string;

  constructor(tool: FfmpegTool, program: string, file: string | null, code: number | null, why: string, stderrTail: readonly string[]) {
    super(`${file ? `${file}: ` : ''}${tool} failed: ${why}`);
    this.name = 'FfmpegError';
    this.detail = `${tool} failed: ${why}`;
    this.tool = tool;
    this.program = program;
    this.file = file;
    this.code = code;
    this.stderrTail = stderrTail;
  }
}

export interface RunOptions {
  /** The file this run reads or writes, named in errors. */
  file?: string;
  /** Kill the process after this long (default: no limit). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Most stdout bytes kept before the run is killed as runaway (default 64 MiB). */
  maxStdout?: number;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Last stderr lines (non-empty), for diagnostics only. */
  stderrTail: string[];
}

/** The argument conventions every run gets, in front of the caller's arguments. */
export function conventionalArgs(tool: FfmpegTool, args: readonly string[]): string[] {
  const head = tool === 'ffmpeg' ? ['-hide_banner', '-nostdin'] : ['-hide_banner'];
  // Flags a caller already wrote are not repeated (files are file: URLs, so no argument is a bare "-nostdin").
  return [...head, ...args.filter((a) => !head.includes(a))];
}

/** Keeps the last `max` non-empty lines of a text stream. */
class LineTail {
  private partial = '';
  readonly lines: string[] = [];
  constructor(private readonly max: number, private readonly onLine?: (line: string) => void) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const l of parts) this.add(l);
  }
  end(): void {
    if (this.partial) this.add(this.partial);
    this.partial = '';
  }
  private add(raw: string): void {
    const line = raw.replace(/\r$/, '');
    this.onLine?.(line);
    if (line.trim() === '') return;
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
}

function startProcess(tool: FfmpegTool, program: string, args: readonly string[], extraPipe: boolean): ChildProcess {
  const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe'];
  if (extraPipe) stdio.push('pipe');
  return spawn(program, conventionalArgs(tool, args), { stdio, windowsHide: true });
}

function describeExit(code: number | null, sig: NodeJS.Signals | null, tail: readonly string[]): string {
  const last = tail.slice(-4).join(' | ');
  const status = sig ? `killed by ${sig}` : `exit code ${code}`;
  return last ? `${last} (${status})` : status;
}

/**
 * Runs to completion and collects stdout. Resolves whatever the exit status (the caller decides what
 * a failed probe means); rejects only when the program cannot start, runs past timeoutMs, produces
 * more than maxStdout, or is aborted.
 */
export function runCollect(tool: FfmpegTool, program: string, args: readonly string[], opts: RunOptions = {}): Promise<Finished> {
  const file = opts.file ?? null;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(abortError(opts.signal));
      return;
    }
    const child = startProcess(tool, program, args, false);
    const chunks: Buffer[] = [];
    let size = 0;
    let stopped: Error | null = null;
    const tail = new LineTail(STDERR_TAIL_LINES);
    const stop = (e: Error): void => {
      if (!stopped) stopped = e;
      child.kill('SIGKILL');
    };
    const maxStdout = opts.maxStdout ?? DEFAULT_MAX_STDOUT;
    child.stdout!.on('data', (b: Buffer) => {
      size += b.length;
      if (size > maxStdout) stop(new FfmpegError(tool, program, file, null, `more than ${maxStdout} bytes of output`, tail.lines));
      else chunks.push(b);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => tail.push(s));
    const timer = opts.timeoutMs ? setTimeout(() => stop(new FfmpegError(tool, program, file, null, `timed out after ${Math.round(opts.timeoutMs! / 1000)} s`, tail.lines)), opts.timeoutMs) : null;
    const onAbort = (): void => stop(abortError(opts.signal!));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      const why = e.code === 'ENOENT' ? 'program not found' : e.message;
      reject(new FfmpegError(tool, program, file, null, `cannot run '${program}': ${why}`, []));
    });
    child.on('close', (code, sig) => {
      cleanup();
      tail.end();
      if (stopped) {
        reject(stopped);
        return;
      }
      resolve({ code, signal: sig, stdout: Buffer.concat(chunks).toString('utf8'), stderrTail: tail.lines });
    });
  });
}

/** Runs to completion; a non-zero exit rejects with an FfmpegError naming the file and ffmpeg's last words. */
export async function run(tool: FfmpegTool, program: string, args: readonly string[], opts: RunOptions = {}): Promise<Finished> {
  const r = await runCollect(tool, program, args, opts);
  if (r.code !== 0) throw new FfmpegError(tool, program, opts.file ?? null, r.code, describeExit(r.code, r.signal, r.stderrTail), r.stderrTail);
  return r;
}

/** ffmpeg to completion (see run). */
export const runFfmpeg = (program: string, args: readonly string[], opts?: RunOptions): Promise<Finished> => run('ffmpeg', program, args, opts);
/** ffprobe to completion (see run). */
export const runFfprobe = (program: string, args: readonly string[], opts?: RunOptions): Promise<Finished> => run('ffprobe', program, args, opts);

export interface StreamOptions {
  file?: string;
  signal?: AbortSignal;
  /** Open fd 3 as a pipe for side-channel data (ffmpeg writes it with `pipe:3`). */
  sideChannel?: boolean;
  /** Every stderr line as it arrives, for progress or diagnostics (never for data). */
  onStderrLine?: (line: string) => void;
  /** stderr as it arrives, unsplit, for a caller with its own line parser (the sampler's nonce-keyed log). */
  onStderrText?: (text: string) => void;
}

export interface FfmpegStream {
  /** The data: read it at the consumer's pace (a full pipe makes ffmpeg wait). */
  stdout: Readable;
  /** fd 3, when StreamOptions.sideChannel was set. */
  sideChannel: Readable | null;
  /** Last stderr lines so far. */
  stderrTail(): readonly string[];
  /** Resolves when the process has exited and its streams closed; never rejects. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Throws the reason this run failed (cannot start, aborted, non-zero exit), or returns when it succeeded. Await `exited` first. */
  check(): void;
  /** Whether the process has not yet exited. */
  running(): boolean;
  /** Stops the process (SIGKILL: a decoder has nothing to flush that we want). */
  kill(): void;
}

/** Starts a long-running ffmpeg whose stdout is consumed as a stream (decoders). */
export function spawnFfmpeg(program: string, args: readonly string[], opts: StreamOptions = {}): FfmpegStream {
  const file = opts.file ?? null;
  if (opts.signal?.aborted) throw abortError(opts.signal);
  const child = startProcess('ffmpeg', program, args, opts.sideChannel === true);
  const tail = new LineTail(STDERR_TAIL_LINES, opts.onStderrLine);
  let startError: Error | null = null;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    tail.push(s);
    opts.onStderrText?.(s);
  });
  child.stderr!.on('end', () => tail.end());
  child.on('error', (e) => {
    startError = e;
  });
  const onAbort = (): void => {
    child.kill('SIGKILL');
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const done = (code: number | null, sig: NodeJS.Signals | null): void => {
      opts.signal?.removeEventListener('abort', onAbort);
      exit = { code, signal: sig };
      resolve(exit);
    };
    child.on('close', done);
    child.on('error', () => {
      // 'close' may not follow a failed spawn on every platform.
      if (child.pid === undefined) done(null, null);
    });
  });
  return {
    stdout: child.stdout!,
    sideChannel: opts.sideChannel ? (child.stdio[3] as Readable) : null,
    stderrTail: () => tail.lines,
    exited,
    check(): void {
      if (startError) throw new FfmpegError('ffmpeg', program, file, null, `cannot run '${program}': ${startError.message}`, []);
      if (opts.signal?.aborted) throw abortError(opts.signal);
      if (exit && exit.code !== 0) throw new FfmpegError('ffmpeg', program, file, exit.code, describeExit(exit.code, exit.signal, tail.lines), tail.lines);
    },
    running: () => exit === null,
    kill: () => {
      if (exit === null) child.kill('SIGKILL');
    },
  };
}
