// Benchmark footage, kept in a cache folder outside git (~/.cache/sightline-bench, or
// $SIGHTLINE_BENCH_CACHE): Debian opencv-doc's vtest.avi (real pedestrians, 768×576, 10 fps) and a
// 1080p H.264 street clip built from it (four vtest views tiled, 25 fps, sensor noise, 5 minutes).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const VTEST_SYSTEM = '/usr/share/doc/opencv-doc/examples/data/vtest.avi';

export function cacheDir(): string {
  const dir = process.env.SIGHTLINE_BENCH_CACHE || path.join(os.homedir(), '.cache', 'sightline-bench');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** vtest.avi from the installed opencv-doc, else from the package fetched with apt-get download. */
export function vtestAvi(): string {
  if (fs.existsSync(VTEST_SYSTEM)) return VTEST_SYSTEM;
  const dir = cacheDir();
  const local = path.join(dir, 'opencv-doc', VTEST_SYSTEM.slice(1));
  if (fs.existsSync(local)) return local;
  execFileSync('apt-get', ['download', 'opencv-doc'], { cwd: dir, stdio: 'inherit' });
  const deb = fs.readdirSync(dir).find((f) => f.startsWith('opencv-doc') && f.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download opencv-doc produced no .deb');
  execFileSync('dpkg', ['-x', path.join(dir, deb), path.join(dir, 'opencv-doc')], { stdio: 'inherit' });
  if (!fs.existsSync(local)) throw new Error(`${local}: not in the opencv-doc package`);
  return local;
}

/**
 * A 1080p, 25 fps H.264 clip of `seconds` with real walking people: four vtest views (two mirrored,
 * each starting elsewhere in the loop) tiled 2×2, with temporal noise so the encoder cannot coast.
 */
export function street1080p(ffmpeg: string, seconds: number): string {
  const out = path.join(cacheDir(), `street-1080p-${seconds}s.mp4`);
  if (fs.existsSync(out)) return out;
  const full = path.join(cacheDir(), 'street-1080p-300s.mp4');
  const tmp = `${out}.tmp.mp4`;
  if (seconds < 300 && fs.existsSync(full)) {
    execFileSync(ffmpeg, ['-y', '-v', 'error', '-i', full, '-t', String(seconds), '-c', 'copy', tmp]);
  } else {
    const v = vtestAvi();
    const inputs = [0, 20, 40, 60].flatMap((ss) => ['-stream_loop', '-1', '-ss', String(ss), '-i', v]);
    const tile = (i: number, flip: boolean): string => `[${i}:v]scale=960:540,setsar=1${flip ? ',hflip' : ''}[t${i}]`;
    const graph = `${tile(0, false)};${tile(1, true)};${tile(2, true)};${tile(3, false)};` +
      '[t0][t1][t2][t3]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0,fps=25,noise=alls=6:allf=t,format=yuv420p';
    execFileSync(ffmpeg, ['-y', '-v', 'error', ...inputs, '-filter_complex', graph, '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-g', '50', '-an', tmp], { stdio: 'inherit' });
  }
  fs.renameSync(tmp, out);
  return out;
}

/**
 * The scene of vtest without its people: the per-pixel temporal median of every 8th frame (99
 * frames spread over the whole clip), so everyone who walks through is voted out.
 */
export function vtestBackground(ffmpeg: string): string {
  const out = path.join(cacheDir(), 'vtest-background.png');
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.tmp.png`;
  // tmedian emits a frame once its whole window is in: with radius 49 the first output is the median of frames 0–98.
  execFileSync(ffmpeg, ['-y', '-v', 'error', '-i', vtestAvi(), '-vf', "select='not(mod(n\\,8))',setpts=N/10/TB,tmedian=radius=49",
    '-fps_mode', 'passthrough', '-frames:v', '1', tmp]);
  fs.renameSync(tmp, out);
  return out;
}

/** One vtest frame (at `atS`) as a still image (cached): people standing still in the scene. */
export function vtestStill(ffmpeg: string, atS: number): string {
  const out = path.join(cacheDir(), `vtest-still-${atS}s.png`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.tmp.png`;
  execFileSync(ffmpeg, ['-y', '-v', 'error', '-ss', String(atS), '-i', vtestAvi(), '-frames:v', '1', tmp]);
  fs.renameSync(tmp, out);
  return out;
}

/** Idle stretches (the empty scene), real vtest segments (people walking), vtest frames held still (people standing). */
export type CctvTimeline = ({ idleS: number } | { vtestFromS: number; seconds: number } | { stillAtS: number; seconds: number })[];

/**
 * The realistic CCTV clip's timeline: idle stretches (the empty scene) and real vtest segments
 * (people walking) in turn, 600 s in all, 129 s of them with people (21.5 %).
 */
export const CCTV_TIMELINE: CctvTimeline = [
  { idleS: 60 }, { vtestFromS: 0, seconds: 20 },
  { idleS: 90 }, { vtestFromS: 20, seconds: 15 },
  { idleS: 45 }, { vtestFromS: 35, seconds: 25 },
  { idleS: 120 }, { vtestFromS: 60, seconds: 19 },
  { idleS: 70 }, { vtestFromS: 5, seconds: 20 },
  { idleS: 60 }, { vtestFromS: 40, seconds: 30 },
  { idleS: 26 },
];

/**
 * How a CCTV clip is encoded. Both variants: x264 superfast, no B-frames, 2 s GOP at 10 fps (as IP
 * cameras record), temporal sensor noise of `noise` (ffmpeg `noise=alls`) over everything.
 */
export interface CctvEncoding {
  /** Cache file name stem. */
  name: string;
  noise: number;
  /** VBR cap (kbit/s) with a 2 s buffer; none = CRF 23 alone. */
  maxrateKbps?: number;
}

/**
 * The "hard" variant (the first realistic clip): noise 4 and CRF 23 alone, so x264 spends its bits on
 * the noise (~14 Mbit/s, ~3× a typical 1080p camera): its decode is harder than real CCTV.
 */
export const CCTV_HARD: CctvEncoding = { name: 'cctv-realistic-1080p', noise: 4 };

/**
 * As an IP camera records: in-camera temporal noise reduction leaves little noise (1 grey level), and
 * the camera's VBR cap (~4 Mbit/s, typical for a 1080p stream) bounds the bitrate.
 */
export const CCTV_CAMERA: CctvEncoding = { name: 'cctv-camera-1080p', noise: 1, maxrateKbps: 4000 };

/**
 * One fixed CCTV view, empty most of the time with people passing now and then: vtest's own empty
 * scene (`vtestBackground`) for the idle stretches and real vtest segments between them, at 10 fps
 * H.264 (`CctvEncoding`). Scaled to width×(4/3·width) and cropped to `height` rows (centred) when 16:9.
 */
export function buildCctvClip(ffmpeg: string, out: string, timeline: CctvTimeline, width: number, height: number, enc: CctvEncoding = CCTV_HARD): string {
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.tmp.mp4`;
  const bg = vtestBackground(ffmpeg);
  const inputs: string[] = [];
  const scaledH = Math.round((width * 3) / 4 / 2) * 2;
  const parts = timeline.map((p, i) => {
    if ('idleS' in p) inputs.push('-loop', '1', '-framerate', '10', '-t', String(p.idleS), '-i', bg);
    else if ('stillAtS' in p) inputs.push('-loop', '1', '-framerate', '10', '-t', String(p.seconds), '-i', vtestStill(ffmpeg, p.stillAtS));
    else inputs.push('-ss', String(p.vtestFromS), '-t', String(p.seconds), '-i', vtestAvi());
    return `[${i}:v]fps=10,scale=${width}:${scaledH},crop=${width}:${height}:0:${(scaledH - height) / 2},setsar=1,format=yuv420p[p${i}]`;
  });
  const graph = `${parts.join(';')};${timeline.map((_, i) => `[p${i}]`).join('')}concat=n=${timeline.length}:v=1:a=0,noise=alls=${enc.noise}:allf=t,format=yuv420p`;
  const cap = enc.maxrateKbps ? ['-maxrate', `${enc.maxrateKbps}k`, '-bufsize', `${enc.maxrateKbps * 2}k`] : [];
  execFileSync(ffmpeg, ['-y', '-v', 'error', ...inputs, '-filter_complex', graph,
    '-c:v', 'libx264', '-preset', 'superfast', '-bf', '0', '-crf', '23', ...cap, '-g', '20', '-an', tmp], { stdio: 'inherit' });
  fs.renameSync(tmp, out);
  return out;
}

/**
 * The realistic CCTV benchmark clip: `CCTV_TIMELINE` at 1920×1080 (600 s), encoded as `enc` (the hard
 * variant: ~17 min of x264 at load 12; the camera variant: see docs/benchmarks.md).
 */
export function cctvRealistic(ffmpeg: string, enc: CctvEncoding = CCTV_HARD): string {
  return buildCctvClip(ffmpeg, path.join(cacheDir(), `${enc.name}-600s.mp4`), CCTV_TIMELINE, 1920, 1080, enc);
}

/** `seconds` of `src` from `startS`, by stream copy from the keyframe at or before it (cached): the recording itself, not a re-encode. */
export function cutOf(ffmpeg: string, src: string, startS: number, seconds: number): string {
  const out = path.join(cacheDir(), `${path.basename(src, path.extname(src))}-${startS}s+${seconds}s${path.extname(src)}`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.tmp${path.extname(src)}`;
  execFileSync(ffmpeg, ['-y', '-v', 'error', '-ss', String(startS), '-i', src, '-t', String(seconds), '-c', 'copy', tmp]);
  fs.renameSync(tmp, out);
  return out;
}
