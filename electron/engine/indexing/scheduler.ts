// The case-level scheduler: the videos an import queued are indexed several at once — as many as
// the budget allows (indexing/budget.ts) — inside this one indexing thread, which stays the case's
// one writer (each batch is still one transaction; SQLite calls are synchronous, so two files'
// batches never interleave inside a transaction). While one file's batch is in inference the
// others' ffmpegs keep decoding, so decode and inference overlap across files.
// It also keeps the whole import's progress: duration-weighted, with an ETA, as 'case' events.
import type { ProgressEvent } from '../contract';

export interface ScheduledVideo { id: number; path: string; duration_s: number; progress: number }

/** What a file's work tells the scheduler: carry on with the next file, or start no more. */
export type After = 'next' | 'stop';

export interface ScheduleOptions {
  /** Files worked at once. */
  parallel: number;
  signal?: AbortSignal;
  /** The case file: named in the 'case' progress events. */
  casePath: string;
  onProgress?: (e: ProgressEvent) => void;
}

/** Whole-import progress from the per-file events: each file weighs its duration. */
export class CaseProgress {
  private readonly fractions = new Map<number, number>();
  private readonly total: number;
  private readonly startFraction: number;
  private readonly started = Date.now();
  private lastEmit = 0;

  constructor(private readonly videos: ScheduledVideo[], private readonly casePath: string, private readonly emit?: (e: ProgressEvent) => void) {
    for (const v of videos) this.fractions.set(v.id, v.progress);
    this.total = videos.reduce((s, v) => s + Math.max(v.duration_s, 1), 0);
    this.startFraction = this.fraction();
  }

  fraction(): number {
    if (this.total <= 0) return 1;
    return this.videos.reduce((s, v) => s + (this.fractions.get(v.id) ?? 0) * Math.max(v.duration_s, 1), 0) / this.total;
  }

  /** Seconds left at the pace since the start of this run; null until 1 % is done. */
  etaS(): number | null {
    const f = this.fraction(), done = f - this.startFraction;
    if (done < 0.01) return null;
    return Math.round((((Date.now() - this.started) / 1000) / done) * (1 - f));
  }

  /** A file's event: its fraction counts now; a 'case' event goes out at most twice a second (and at the end). */
  update(e: ProgressEvent): void {
    if (e.videoId === null || !this.fractions.has(e.videoId)) return;
    this.fractions.set(e.videoId, e.phase === 'done' || e.phase === 'failed' ? 1 : e.fraction);
    const now = Date.now();
    const f = this.fraction();
    if (now - this.lastEmit < 500 && f < 1) return;
    this.lastEmit = now;
    this.emit?.({ kind: 'case', videoId: null, path: this.casePath, phase: f >= 1 ? 'done' : 'indexing', fraction: f, etaS: f >= 1 ? 0 : this.etaS() });
  }
}

/**
 * Runs `work` on every video, `opts.parallel` at a time, in queue order. A file's failure is its
 * own (work reports it); 'stop' (the case was taken over, or the job aborted) starts no more files
 * and waits for the ones running. Each file's progress events pass through and feed the case's.
 */
export async function runScheduled<V extends ScheduledVideo>(videos: V[], work: (v: V, onProgress: (e: ProgressEvent) => void) => Promise<After>, opts: ScheduleOptions): Promise<void> {
  const progress = new CaseProgress(videos, opts.casePath, opts.onProgress);
  const onProgress = (e: ProgressEvent): void => {
    opts.onProgress?.(e);
    progress.update(e);
  };
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && !opts.signal?.aborted && next < videos.length) {
      const v = videos[next++];
      const after = await work(v, onProgress);
      // Done or failed, the file no longer waits: it counts as finished in the whole import's progress.
      if (after === 'stop') stopped = true;
      else progress.update({ kind: 'index', videoId: v.id, path: v.path, phase: 'done', fraction: 1, etaS: 0 });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel, videos.length)) }, lane));
}
