// Frames out of a video, decoded by ffmpeg at a chosen sampling rate, each stamped with the exact
// presentation time of the source frame it came from (so VFR footage and resumes line up).
//
// How: ffmpeg's `select` keeps the first source frame at or after each 1/fps tick (ticks counted
// from 0 in absolute source time, so the rate never drifts and a resumed run picks the same frames);
// `showinfo` logs each kept frame's pts (stderr) before the frame's rgb24 bytes reach stdout;
// the two streams are paired in order. ffmpeg's stderr also echoes the input file name (and the
// container's metadata), which anyone can craft to look like a showinfo line: the showinfo instances
// are therefore named with a random per-run nonce, and only lines that begin with that exact name count.
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { VideoError, abortError, reasonFromFfmpegLog } from './errors';
import { fileUrl, spawnFfmpeg } from './ffmpeg';
import { explainFailure } from './probe';

export interface Frame {
  /** 0-based index of this frame within this run of the sampler. */
  index: number;
  /** Presentation time of the source frame, seconds from the start of the file. */
  timeS: number;
  width: number;
  height: number;
  /** Packed RGB24, row-major, width*height*3 bytes. */
  data: Uint8Array;
  /** Frame px / source (display) px; source px = frame px / scale. 1 when not downscaled. */
  scale: number;
}

export interface SampleOptions {
  ffmpegPath: string;
  /** Sampling rate, frames per second of source time. */
  fps: number;
  /** Longest side of the frames handed out; bigger pictures are downscaled (aspect kept). */
  maxSide?: number;
  /** Resume: only frames with timeS > startS are yielded (and they are the same frames a full run yields). */
  startS?: number;
  /** Decoder threads (default 2). */
  threads?: number;
  /**
   * Decode keyframes only (ffmpeg -skip_frame nokey): several times cheaper, but a sample can only
   * land on a keyframe, so the effective rate is at most one per GOP (often 1–4 s in CCTV). For quick previews.
   */
  keyframesOnly?: boolean;
  /**
   * Skip H.264/HEVC's in-loop deblocking filter (ffmpeg -skip_loop_filter all): cheaper decoding, at
   * the price of blockier pixels that drift until the next keyframe. Off unless measured harmless.
   */
  skipLoopFilter?: boolean;
  /**
   * Frames read ahead by a reader thread (default 0: read on demand). ONNX Runtime's session.run
   * blocks the consumer's thread; without a reader ffmpeg stalls on the full pipe meanwhile, so
   * decoding and inference take turns instead of overlapping. Same frames either way.
   */
  readAhead?: number;
  /**
   * Container duration from ffprobe's JSON (indexing knows it from import). When given it is used
   * instead of the "Duration:" line of ffmpeg's stderr, which a crafted file name can forge.
   */
  durationS?: number;
  signal?: AbortSignal;
}

interface FrameMeta {
  pts: number;
  srcW: number;
  srcH: number;
  outW: number;
  outH: number;
}

// Tolerance, in ticks, for a frame that lands on a tick but whose pts*timebase rounds a hair below it.
const TICK_EPS = 1e-6;

/** A fresh nonce per ffmpeg run: the showinfo instances are `showinfo@<nonce>s` (source) and `showinfo@<nonce>o` (output). */
export function newNonce(): string {
  return randomBytes(12).toString('hex');
}

/** The -vf chain, with the showinfo instances named by `nonce`. */
export function buildFilterChain(fps: number, seekS: number, maxSide?: number, nonce = 'x'): string {
  const tick = (t: string) => `floor((${t}+${seekS})*${fps}+${TICK_EPS})`;
  const select = `select='isnan(prev_selected_t)+gt(${tick('t')},${tick('prev_selected_t')})'`;
  const scale = maxSide && maxSide > 0
    ? `scale=w='max(1,round(iw*min(1,${maxSide}/max(iw,ih))))':h='max(1,round(ih*min(1,${maxSide}/max(iw,ih))))':flags=area`
    : 'scale=w=iw:h=ih';
  return [select, `showinfo@${nonce}s=checksum=0`, scale, 'format=rgb24', `showinfo@${nonce}o=checksum=0`].join(',');
}

/** Where to start decoding for a resume at `startS`: at least one whole tick before startS's tick. */
export function seekPointFor(startS: number | undefined, fps: number): number {
  if (startS === undefined || !(startS >= 0)) return 0;
  const tickStart = Math.floor(startS * fps + TICK_EPS) / fps;
  const seek = tickStart - 1 / fps - 0.5;
  return seek > 0 ? Math.floor(seek * 1000) / 1000 : 0;
}

// Anchored at the start of the line and keyed by the run's nonce: text from the file name cannot match.
const showinfoFrame = (nonce: string): RegExp => new RegExp(`^\\[showinfo@${nonce}([so]) @ 0x[0-9a-f]+\\](?: \\[\\w+\\])? n:\\s*\\d+ pts:\\s*(-?\\d+|NOPTS) .*? s:(\\d+)x(\\d+) `);
const showinfoConfig = (nonce: string): RegExp => new RegExp(`^\\[showinfo@${nonce}s @ 0x[0-9a-f]+\\](?: \\[\\w+\\])? config in time_base: (\\d+)/(\\d+),`);
const LOG_LEVEL = /^(?:\[[^\]]*\] )?\[(panic|fatal|error|warning)\] /;

/** Incremental parser of ffmpeg's stderr (with -loglevel level+info): frame metadata and problems. */
export class FfmpegLogParser {
  timeBase: [number, number] = [0, 1];
  durationS: number | null = null;
  /** Codec of the first video stream as ffmpeg names it (its tag when ffmpeg has no name for it). */
  videoCodec: string | null = null;
  readonly problems: string[] = [];
  problemCount = 0;
  private partial = '';
  private pendingSrc: { pts: number; w: number; h: number } | null = null;
  private readonly frameRe: RegExp;
  private readonly configRe: RegExp;

  private readonly echoes: string[];

  /**
   * `nonce`: the one buildFilterChain named this run's showinfo instances with. `input`: the names
   * ffmpeg was given (path, file: URL); wherever ffmpeg echoes them they are blanked out before the
   * text is split into lines, so a name holding newlines and fake log lines is never read as lines.
   */
  constructor(private readonly onFrame: (meta: FrameMeta) => void, nonce: string, input: string[] = []) {
    if (!/^[0-9a-z]+$/.test(nonce)) throw new Error('sampler nonce must be alphanumeric');
    this.frameRe = showinfoFrame(nonce);
    this.configRe = showinfoConfig(nonce);
    this.echoes = [...new Set(input.filter((n) => n.length > 0))].sort((x, y) => y.length - x.length);
  }

  push(chunk: string): void {
    let text = this.partial + chunk;
    for (const name of this.echoes) text = text.split(name).join('<input>');
    // Hold back a tail that may be the start of an echoed name cut by the chunk boundary.
    let hold = text.length;
    for (const name of this.echoes) {
      for (let k = Math.min(name.length - 1, text.length); k > 0; k--) {
        if (name.startsWith(text.slice(text.length - k))) { hold = Math.min(hold, text.length - k); break; }
      }
    }
    const lastNl = text.lastIndexOf('\n', hold - 1);
    const complete = lastNl >= 0 ? text.slice(0, lastNl) : '';
    this.partial = lastNl >= 0 ? text.slice(lastNl + 1) : text;
    if (lastNl >= 0) for (const line of complete.split('\n')) this.line(line.replace(/\r$/, ''));
  }

  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  line(line: string): void {
    const f = this.frameRe.exec(line);
    if (f) {
      const pts = f[2] === 'NOPTS' ? NaN : Number(f[2]);
      const w = Number(f[3]);
      const h = Number(f[4]);
      if (f[1] === 's') this.pendingSrc = { pts, w, h };
      else {
        const src = this.pendingSrc ?? { pts, w, h };
        this.pendingSrc = null;
        this.onFrame({ pts: src.pts, srcW: src.w, srcH: src.h, outW: w, outH: h });
      }
      return;
    }
    const c = this.configRe.exec(line);
    if (c) {
      this.timeBase = [Number(c[1]), Number(c[2])];
      return;
    }
    const d = /^(?:\[info\] )?\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
    if (d && this.durationS === null) {
      this.durationS = Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]);
      return;
    }
    const v = /Stream #\d+:\d+.*?: Video: (\S+)(?: \((\w+) \/ 0x)?/.exec(line);
    if (v && this.videoCodec === null) {
      this.videoCodec = (v[1] === 'none' || v[1] === 'unknown') && v[2] ? v[2] : v[1].replace(/,$/, '');
      return;
    }
    if (LOG_LEVEL.test(line)) {
      this.problemCount++;
      if (this.problems.length < 200) this.problems.push(line);
    }
  }
}

/**
 * Decodes `file` and yields frames at `opts.fps` (first source frame at or after each 1/fps tick),
 * RGB24, each with its source pts. Throws VideoError when ffmpeg fails or the file turns out truncated
 * (after yielding the frames that did decode). Stopping the loop or aborting kills ffmpeg.
 */
export async function* sampleFrames(file: string, opts: SampleOptions): AsyncGenerator<Frame> {
  if (!(opts.fps > 0) || !Number.isFinite(opts.fps)) throw new RangeError(`sampleFrames: bad fps ${opts.fps}`);
  if (opts.readAhead && opts.readAhead > 0) {
    yield* sampleFramesAhead(file, opts, Math.floor(opts.readAhead));
    return;
  }
  const signal = opts.signal;
  if (signal?.aborted) throw abortError(signal);
  const seekS = seekPointFor(opts.startS, opts.fps);
  const threads = Math.max(1, Math.floor(opts.threads ?? 2));
  const nonce = newNonce();
  // -hide_banner/-nostdin come from the runner (video/ffmpeg.ts).
  const args = ['-nostats', '-loglevel', 'level+info', '-threads', String(threads)];
  if (opts.keyframesOnly) args.push('-skip_frame', 'nokey');
  if (opts.skipLoopFilter) args.push('-skip_loop_filter', 'all');
  if (seekS > 0) args.push('-ss', seekS.toFixed(3));
  args.push('-protocol_whitelist', 'file', '-i', fileUrl(file),
    // First video stream that is not cover art; nothing else.
    '-map', '0:V:0', '-an', '-sn', '-dn',
    '-vf', buildFilterChain(opts.fps, seekS, opts.maxSide, nonce),
    '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');

  const metas: FrameMeta[] = [];
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const log = new FfmpegLogParser((m) => {
    metas.push(m);
    poke();
  }, nonce, [fileUrl(file), file]);
  let stderrDone = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  // The runner kills ffmpeg on abort; this listener only wakes a reader waiting for the next frame.
  const onAbort = () => poke();
  signal?.addEventListener('abort', onAbort, { once: true });
  const child = spawnFfmpeg(opts.ffmpegPath, args, { file, signal, onStderrText: (s) => log.push(s) });
  const exited = child.exited.then((e) => {
    log.end();
    exit = e;
    stderrDone = true;
    poke();
  });

  // Pull-based reading of stdout: while the consumer holds a frame nothing is read, the pipe fills
  // and ffmpeg blocks, so memory stays at about one frame.
  const chunks = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let carry: Buffer | null = null;
  let stdoutDone = false;
  async function readFrameBytes(n: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      let chunk: Buffer;
      if (carry) {
        chunk = carry;
        carry = null;
      } else {
        if (stdoutDone) return null;
        const r = await chunks.next();
        if (r.done) {
          stdoutDone = true;
          return null;
        }
        chunk = r.value;
      }
      const take = Math.min(n - filled, chunk.length);
      out.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take < chunk.length) carry = chunk.subarray(take);
    }
    return out;
  }
  async function nextMeta(): Promise<FrameMeta | null> {
    for (;;) {
      if (metas.length) return metas.shift()!;
      if (stderrDone || signal?.aborted) return null;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }

  let index = 0;
  let lastTimeS: number | null = null;
  let finished = false;
  try {
    for (;;) {
      const meta = await nextMeta();
      if (signal?.aborted) throw abortError(signal);
      if (!meta) break;
      const bytes = await readFrameBytes(meta.outW * meta.outH * 3);
      if (signal?.aborted) throw abortError(signal);
      if (!bytes) break; // ffmpeg died mid-frame; the exit status below says why
      const [num, den] = log.timeBase;
      const timeS = seekS + (meta.pts * num) / den;
      lastTimeS = timeS;
      if (opts.startS !== undefined && timeS <= opts.startS) continue;
      yield {
        index: index++,
        timeS,
        width: meta.outW,
        height: meta.outH,
        data: bytes,
        scale: meta.srcW > 0 ? meta.outW / meta.srcW : 1,
      };
    }
    await exited;
    if (signal?.aborted) throw abortError(signal);
    // A program that cannot start is the runner's error (it names the program); exit statuses are judged below.
    if (exit === null || (exit as { code: number | null }).code === null && (exit as { signal: unknown }).signal === null) child.check();
    finished = true;
    if (opts.durationS !== undefined && opts.durationS > 0) log.durationS = opts.durationS;
    const failure = failureReason(file, log, exit, lastTimeS, opts.fps);
    if (failure) throw new VideoError(file, failure);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished && child.running()) child.kill();
    child.stdout.destroy();
  }
}

/** Why a finished ffmpeg run counts as failed, or null when it decoded the whole file. */
function failureReason(
  file: string,
  log: FfmpegLogParser,
  exit: { code: number | null; signal: NodeJS.Signals | null } | null,
  lastTimeS: number | null,
  fps: number,
): string | null {
  const code = exit?.code ?? null;
  if (code !== 0) {
    if (exit?.signal) return `decoding failed (ffmpeg killed by ${exit.signal})`;
    if (/codec none|\(codec \w+\) not found/i.test(log.problems.join('\n'))) {
      return `unsupported codec '${log.videoCodec ?? 'unknown'}' (no decoder)`;
    }
    // Frames decoded before the failure prove it is a video, so unparseable data means damage.
    return explainFailure(file, log.problems, lastTimeS !== null);
  }
  // Exit 0 but the demuxer hit the end of the data early: the file is cut short.
  if (log.problems.some((l) => /partial file|moov atom not found|truncat/i.test(l))) {
    return reasonFromFfmpegLog(log.problems, file, true);
  }
  // Decode errors are concealed and common in CCTV; they only fail the file when decoding stopped
  // well before the container's duration.
  if (log.problems.some((l) => /\[error\]/.test(l)) && log.durationS !== null && log.durationS > 0) {
    const reached = lastTimeS ?? 0;
    if (reached < log.durationS - Math.max(1, 2 / fps)) {
      return reasonFromFfmpegLog(log.problems, file, true) ?? `truncated or corrupt (decoding stopped at ${reached.toFixed(1)} s of ${log.durationS.toFixed(1)} s)`;
    }
  }
  return null;
}

// The reader thread: runs sampleFrames on demand-reading and posts each frame's bytes (transferred,
// not copied) while it holds fewer than `depth` unacknowledged frames.
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const { sampleFrames } = require(workerData.sampler);
const stop = new AbortController();
let credit = workerData.depth, wake = null;
parentPort.on('message', (m) => {
  if (m === 'ack') credit++; else stop.abort();
  const w = wake; wake = null; if (w) w();
});
(async () => {
  try {
    for await (const f of sampleFrames(workerData.file, { ...workerData.opts, signal: stop.signal })) {
      while (credit <= 0 && !stop.signal.aborted) await new Promise((r) => { wake = r; });
      if (stop.signal.aborted) break;
      credit--;
      const { data, ...meta } = f;
      parentPort.postMessage({ type: 'frame', meta, data }, [data.buffer]);
    }
    parentPort.postMessage({ type: 'end' });
  } catch (e) {
    parentPort.postMessage({ type: 'error', name: e.name, message: e.message, file: e.file, reason: e.reason });
  }
  parentPort.close();
})();
`;

type ReaderMessage =
  | { type: 'frame'; meta: Omit<Frame, 'data'>; data: Uint8Array }
  | { type: 'end' }
  | { type: 'error'; name: string; message: string; file?: string; reason?: string };

async function* sampleFramesAhead(file: string, opts: SampleOptions, depth: number): AsyncGenerator<Frame> {
  const { signal, readAhead: _unused, ...rest } = opts;
  if (signal?.aborted) throw abortError(signal);
  const worker = new Worker(READER, { eval: true, workerData: { sampler: __filename, file, opts: rest, depth } });
  const queue: ReaderMessage[] = [];
  let wake: (() => void) | null = null;
  const poke = (): void => { const w = wake; wake = null; w?.(); };
  let exited = false;
  worker.on('message', (m: ReaderMessage) => { queue.push(m); poke(); });
  worker.on('error', (e) => { queue.push({ type: 'error', name: e.name, message: e.message }); poke(); });
  worker.on('exit', () => { exited = true; poke(); });
  const onAbort = (): void => { worker.postMessage('abort'); poke(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      while (!queue.length) {
        if (signal?.aborted) throw abortError(signal);
        if (exited) throw new Error(`${file}: frame reader stopped unexpectedly`);
        await new Promise<void>((resolve) => { wake = resolve; });
      }
      if (signal?.aborted) throw abortError(signal);
      const m = queue.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'error') {
        if (m.name === 'VideoError' && m.file !== undefined && m.reason !== undefined) throw new VideoError(m.file, m.reason);
        const err = new Error(m.message);
        err.name = m.name;
        throw err;
      }
      worker.postMessage('ack');
      yield { ...m.meta, data: m.data };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // The reader kills its ffmpeg and exits on its own; nothing here waits for that.
    if (!exited) worker.postMessage('abort');
    worker.unref();
  }
}
