// A playable proxy of a video Chromium cannot play as it is (video/playable.ts): H.264 (8-bit 4:2:0)
// + AAC in a fast-start MP4, a keyframe at least every second (so a seek decodes at most one second),
// written with the one ffmpeg runner. The original is only read.
//
// Time mapping: proxy time = original presentation time − the original's start time (ffmpeg's default
// input offset, the same one the sampler sees), so "seconds from the start of the file" — the time of
// every detection and sighting — is the same instant in the original and in the proxy. Frames are
// never dropped, duplicated or re-timed (-fps_mode passthrough: VFR gaps stay gaps), and the MP4 time
// base is 1/90000 s, so timestamps survive to within 11 µs. Rotation is applied (the proxy is stored
// upright, at the display size the boxes are measured in); an odd width/height gets one black
// column/row on the right/bottom (H.264 4:2:0 needs even sizes), so box pixels map 1:1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileUrl, runFfmpeg } from './ffmpeg';

/** Version of the recipe below: a proxy made by another recipe is made again. */
export const PROXY_RECIPE = 'h264-aac-gop1s@1';

export function proxyArgs(src: string, dest: string): string[] {
  return [
    '-y', '-loglevel', 'error', '-protocol_whitelist', 'file', '-i', fileUrl(src),
    // The first video stream that is not cover art, and the first audio stream if there is one.
    '-map', '0:V:0', '-map', '0:a:0?', '-sn', '-dn', '-map_metadata', '-1',
    '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2:0:0:black,format=yuv420p',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-profile:v', 'high',
    '-force_key_frames', 'expr:gte(t,n_forced*1)',
    '-fps_mode', 'passthrough', '-enc_time_base', '1/90000', '-video_track_timescale', '90000',
    '-c:a', 'aac', '-b:a', '96k', '-ac', '2',
    '-movflags', '+faststart', '-f', 'mp4', fileUrl(dest),
  ];
}

/**
 * Makes `dest` from `src`: written to a temporary name beside it and renamed when complete, so a
 * killed run never leaves a half proxy under the real name. Returns the proxy's size in bytes.
 */
export async function makeProxyFile(src: string, dest: string, opts: { ffmpeg: string; signal?: AbortSignal }): Promise<number> {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  try {
    await runFfmpeg(opts.ffmpeg, proxyArgs(src, part), { file: src, signal: opts.signal });
    fs.renameSync(part, dest);
  } finally {
    fs.rmSync(part, { force: true });
  }
  return fs.statSync(dest).size;
}
