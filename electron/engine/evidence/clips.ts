// Cutting and encoding the media of one evidence item: the original-format clip (stream copy from
// a keyframe), the annotated H.264 clip, and the snapshots. Every process goes through video/ffmpeg.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FfmpegError, fileUrl, runFfmpeg, runFfprobe, secs } from '../video/ffmpeg';
import { safeExtension } from './names';
import { annotationFilters, findFont, snapshotFilter, type BoxSpan, type TextSupport } from './filters';
import type { BBox } from '../contract';

/** The programs an export runs. */
export interface ClipTools { ffmpeg: string; ffprobe: string }

/** What this ffmpeg build offers for annotated clips. */
export interface ToolSupport extends TextSupport { h264: string }

/** A clip that ffmpeg wrote but that is not what was asked for (no video, not starting on a keyframe). */
export class ClipError extends Error {}

/** Errors that mean the output cannot be written at all: stop, rather than refuse item after item. */
export const OUTPUT_FAILURE = /ENOSPC|No space left|EROFS|Read-only file system|EACCES|EPERM|Permission denied|EDQUOT|Disk quota/i;

/** Timeouts: listing capabilities is instant; cutting or encoding a padded window can take minutes. */
const LIST_TIMEOUT_MS = 30_000;
const WORK_TIMEOUT_MS = 300_000;

/** Checks this ffmpeg can draw boxes and encode H.264; throws a message for the investigator when not. */
export async function toolSupport(ffmpeg: string, fail: (message: string) => Error): Promise<ToolSupport> {
  const filters = (await runFfmpeg(ffmpeg, ['-filters'], { timeoutMs: LIST_TIMEOUT_MS })).stdout;
  const encoders = (await runFfmpeg(ffmpeg, ['-encoders'], { timeoutMs: LIST_TIMEOUT_MS })).stdout;
  if (!/\sdrawbox\s/.test(filters)) throw fail(`${ffmpeg} lacks the drawbox filter needed for annotated clips`);
  const h264 = ['libx264', 'libopenh264', 'h264_videotoolbox', 'h264_mf'].find((e) => new RegExp(`\\s${e}\\s`).test(encoders));
  if (!h264) throw fail(`${ffmpeg} has no H.264 encoder (libx264 or libopenh264) for annotated clips`);
  return { drawtext: /\sdrawtext\s/.test(filters), fontFile: findFont(), h264 };
}

interface Packet { pts: number; end: number; key: boolean }

async function videoPackets(ffprobe: string, file: string, interval?: string): Promise<Packet[]> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time,duration_time,flags', '-of', 'json'];
  if (interval) args.push('-read_intervals', interval);
  const { stdout } = await runFfprobe(ffprobe, [...args, fileUrl(file)], { file, timeoutMs: WORK_TIMEOUT_MS });
  const parsed = JSON.parse(stdout) as { packets?: { pts_time?: string; dts_time?: string; duration_time?: string; flags?: string }[] };
  const out: Packet[] = [];
  for (const p of parsed.packets ?? []) {
    // AVI and some raw streams carry no pts: the decode time is then the presentation time.
    const t = Number(p.pts_time ?? p.dts_time);
    if (!Number.isFinite(t)) continue;
    const d = Number(p.duration_time);
    out.push({ pts: t, end: Number.isFinite(d) && d > 0 ? t + d : NaN, key: (p.flags ?? '').includes('K') });
  }
  // A container that stores no packet durations (AVI): a frame lasts the typical gap between frames.
  const times = out.map((p) => p.pts).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]).filter((g) => g > 0).sort((a, b) => a - b);
  const typical = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
  for (const p of out) if (Number.isNaN(p.end)) p.end = p.pts + typical;
  return out;
}

async function formatStart(ffprobe: string, file: string): Promise<number> {
  const { stdout } = await runFfprobe(ffprobe, ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', fileUrl(file)], { file, timeoutMs: WORK_TIMEOUT_MS });
  const n = Number(stdout.trim());
  return Number.isFinite(n) ? n : 0;
}

export interface OriginalClip { name: string; container: string; startS: number; endS: number }

/**
 * Stream-copies [keyframe at or before start, end] of `src` into its original container (else
 * Matroska). A copy can only begin on a keyframe, so we pick that keyframe ourselves and record where
 * the cut really starts and ends, measured with ffprobe on the written file.
 */
export async function cutOriginal(tools: ClipTools, src: string, fileName: string, start: number, end: number, dir: string): Promise<OriginalClip> {
  const t0 = await formatStart(tools.ffprobe, src);
  const from = Math.max(0, start - 60);
  const keys = (await videoPackets(tools.ffprobe, src, `${secs(t0 + from)}%${secs(t0 + start + 0.5)}`)).filter((p) => p.key).map((p) => p.pts - t0);
  const eligible = keys.filter((k) => k <= start + 1e-3);
  const keyframe = eligible.length ? Math.max(...eligible) : 0;

  const ext = safeExtension(fileName);
  const attempts = ext ? [ext, 'mkv'] : ['mkv'];
  let lastError: Error | null = null;
  for (const container of [...new Set(attempts)]) {
    const name = `clip-original.${container}`;
    const out = path.join(dir, name);
    try {
      await runFfmpeg(tools.ffmpeg, [
        '-v', 'error', '-y', '-ss', secs(keyframe + 0.001), '-i', fileUrl(src), '-t', secs(end - keyframe),
        '-map', '0:v:0', '-map', '0:a?', '-c', 'copy', '-sn', '-dn', '-avoid_negative_ts', 'make_zero', out,
      ], { file: src, timeoutMs: WORK_TIMEOUT_MS });
      const packets = await videoPackets(tools.ffprobe, out);
      if (packets.length === 0) throw new ClipError(`the cut of ${src} holds no video`);
      const first = Math.min(...packets.map((p) => p.pts));
      const last = Math.max(...packets.map((p) => p.end));
      const firstPacket = packets.find((p) => p.pts === first)!;
      if (!firstPacket.key) throw new ClipError(`the cut of ${src} does not begin on a keyframe`);
      return { name, container, startS: round(keyframe, 6), endS: round(keyframe + (last - first), 6) };
    } catch (e) {
      fs.rmSync(out, { force: true });
      if (OUTPUT_FAILURE.test((e as Error).message)) throw e;
      lastError = e as Error;
    }
  }
  throw lastError ?? new ClipError(`cannot stream-copy ${src}`);
}

/**
 * Re-encodes [start, end] of `src` frame-accurately to H.264 with each box span drawn and the running
 * source time (and wall-clock time, when `clockBase` is known) burned in. Returns whether the time was burned in.
 */
export async function encodeAnnotated(
  tools: ClipTools, support: ToolSupport, src: string, video: { width: number; height: number }, spans: readonly BoxSpan[],
  start: number, end: number, clockBase: string | null, out: string,
): Promise<boolean> {
  // A script file, not -vf: thousands of boxes would overflow a command line.
  const script = path.join(path.dirname(out), '.filters.txt');
  fs.writeFileSync(script, annotationFilters(support, spans, video.width, video.height, start, end, clockBase));
  try {
    const encoder = support.h264 === 'libx264' ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18'] : ['-c:v', support.h264, '-b:v', '8M'];
    await runFfmpeg(tools.ffmpeg, [
      '-v', 'error', '-y', '-ss', secs(start), '-i', fileUrl(src), '-t', secs(end - start),
      '-filter_script:v', script, '-map', '0:v:0', '-map', '0:a?', ...encoder, '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-movflags', '+faststart', out,
    ], { file: src, timeoutMs: WORK_TIMEOUT_MS });
  } finally {
    fs.rmSync(script, { force: true });
  }
  return support.drawtext;
}

/** The file names snapshots() writes into the item folder. */
export const SNAPSHOT_FILES = ['frame.png', 'frame-annotated.png', 'thumbnail.jpg'] as const;

/**
 * The frame at `frameTime` as a full-resolution PNG, the same with the box (and time stamp) drawn,
 * and a 640-px JPEG thumbnail of the annotated one.
 */
export async function snapshots(
  tools: ClipTools, support: ToolSupport, src: string, video: { width: number; height: number },
  frameTime: number, box: BBox, stampLine: string, dir: string,
): Promise<void> {
  const [plain, annotated, thumb] = SNAPSHOT_FILES.map((f) => path.join(dir, f));
  const at = ['-v', 'error', '-y', '-ss', secs(frameTime), '-i', fileUrl(src), '-frames:v', '1', '-update', '1'];
  await runFfmpeg(tools.ffmpeg, [...at, plain], { file: src, timeoutMs: WORK_TIMEOUT_MS });
  await runFfmpeg(tools.ffmpeg, [...at, '-vf', snapshotFilter(support, box, video.width, video.height, stampLine), annotated], { file: src, timeoutMs: WORK_TIMEOUT_MS });
  await runFfmpeg(tools.ffmpeg, ['-v', 'error', '-y', '-i', fileUrl(annotated), '-vf', 'scale=640:-2', '-q:v', '3', '-frames:v', '1', '-update', '1', thumb], { file: annotated, timeoutMs: WORK_TIMEOUT_MS });
}

/** Whether an error came from cutting or encoding (refuse the item) rather than from elsewhere. */
export function isClipFailure(e: unknown): e is Error {
  return e instanceof FfmpegError || e instanceof ClipError;
}

export const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
