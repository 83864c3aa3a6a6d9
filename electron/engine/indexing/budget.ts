// How an import shares out its CPU budget (the setting `cores`, CLI --cores): how many files are
// indexed at once, ffmpeg decoder threads per file, and ONNX Runtime's intra-op threads. This module
// is the one place those choices are made.
//
// The figures are measured on this project's benchmark clips (docs/benchmarks.md): decoding costs
// about 2.3 ns of CPU per source pixel (1080p25 H.264: 0.12 CPU s per video second) and inference
// (detector + crop networks) about 30 ms of CPU per sampled frame with people in view. Their ratio,
// the *decode share*, decides the ONNX threads: on 1080p H.264 (share ≈ 0.66) one ORT thread beside
// the decoders indexed faster than two on 2 cores; on SD footage (vtest, share ≈ 0.15) decoding is
// nearly free and two ORT threads won (17.3× vs 22.0× real time, docs/benchmarks.md).
import * as os from 'node:os';

/** CPU seconds to decode one source pixel (H.264, 1080p25 benchmark clip). */
export const DECODE_CPU_PER_PIXEL_S = 2.3e-9;
/** CPU seconds of inference per sampled frame (NanoDet-m 416 + IVT + ReID + attributes, people in view). */
export const INFER_CPU_PER_FRAME_S = 0.03;
/** Files indexed at once, at most: each holds an ffmpeg, a read-ahead of 16 frames and a tracker (~150 MB). */
export const MAX_PARALLEL_FILES = 8;

export interface FootageRate { width: number; height: number; fps: number; sampleFps: number; durationS: number }

/** Share of one file's CPU that is decoding (0–1), from its resolution, frame rate and sampling rate. */
export function decodeShare(v: FootageRate): number {
  const decode = DECODE_CPU_PER_PIXEL_S * v.width * v.height * (v.fps > 0 ? v.fps : 25);
  const infer = INFER_CPU_PER_FRAME_S * v.sampleFps;
  return decode + infer > 0 ? decode / (decode + infer) : 0;
}

export interface Budget {
  cores: number;
  /** Files indexed at once. */
  files: number;
  /** ffmpeg decoder threads per file. */
  decodeThreads: number;
  /** ONNX Runtime intra-op threads per session (inference runs one batch at a time, whichever file it is for). */
  onnxThreads: number;
  /** Duration-weighted decode share of the queued footage. */
  decodeShare: number;
}

/** `cores` 0 (or absent) = every core of this machine. */
export function resolveCores(cores?: number): number {
  return cores && cores > 0 ? Math.floor(cores) : os.availableParallelism();
}

/**
 * The budget for a queue of files. Inference is serialised (one indexing thread), so parallel files
 * buy overlap: while one file's batch is in the detector the others' ffmpegs decode. Every core
 * runs one file's decoder (up to the queue length); ORT gets the cores decoding leaves over, at
 * least one. SIGHTLINE_THREADS still fixes ORT's threads (benchmarks).
 */
export function budgetFor(queue: FootageRate[], cores?: number): Budget {
  const c = resolveCores(cores);
  const total = queue.reduce((s, v) => s + Math.max(v.durationS, 1), 0);
  const share = total > 0 ? queue.reduce((s, v) => s + decodeShare(v) * Math.max(v.durationS, 1), 0) / total : 0;
  const files = Math.max(1, Math.min(queue.length, c, MAX_PARALLEL_FILES));
  const decodeThreads = Math.max(1, Math.floor(c / files));
  const fixed = Number(process.env.SIGHTLINE_THREADS);
  const onnxThreads = fixed > 0 ? Math.floor(fixed) : Math.max(1, Math.min(c, Math.round(c * (1 - share))));
  return { cores: c, files, decodeThreads, onnxThreads, decodeShare: share };
}
