// The sampled frames at given moments of a video: the very frames the indexer saw at those times (same
// sampler, same rate, so the same ticks), decoded again to cut crops from (track strips, thumbnails).
// Nearby moments share one decoding run; a long gap is crossed with a seek instead of decoding it.
import { sampleFrames, type Frame } from './sampler';

/** A moment and a decoded frame are the same when closer than this (frame times are exact pts). */
export const SAME_FRAME_S = 1e-3;
/** A gap up to this long is decoded through; a longer one starts ffmpeg again with a seek. */
const DECODE_THROUGH_S = 10;

export interface FramesAtOptions { ffmpeg: string; fps: number; maxSide: number; durationS?: number; signal?: AbortSignal }

/**
 * Yields each of `times` (ascending) with its decoded frame, in order; a moment no frame matches (not
 * decoded, past the end) is skipped. Moments sharing a frame each get it.
 */
export async function* framesAt(file: string, times: readonly number[], o: FramesAtOptions): AsyncGenerator<{ index: number; frame: Frame }> {
  let next = 0;
  while (next < times.length) {
    // The sampler yields frames after startS: a hair before the first moment's frame.
    const startS = times[next] > 0.01 ? times[next] - 0.01 : undefined;
    let seek = false;
    for await (const f of sampleFrames(file, { ffmpegPath: o.ffmpeg, fps: o.fps, maxSide: o.maxSide, startS, durationS: o.durationS, signal: o.signal })) {
      while (next < times.length && times[next] < f.timeS - SAME_FRAME_S) next++; // its frame was not decoded: skip it
      while (next < times.length && Math.abs(times[next] - f.timeS) <= SAME_FRAME_S) yield { index: next++, frame: f };
      if (next >= times.length) break;
      if (times[next] - f.timeS > DECODE_THROUGH_S) { seek = true; break; }
    }
    if (!seek) break; // the video ended (or every moment is served)
  }
}
