// The pictures of an item in the report: the person enlarged (cut from the unmarked full-resolution
// frame, so nothing drawn hides a detail) and the whole frame with the box, both as JPEG because the
// report writer embeds JPEG bytes unchanged.
import * as path from 'node:path';
import type { BBox } from '../../common/contract';
import { fileUrl, runFfmpeg } from '../video/ffmpeg';

export const PERSON_CROP_FILE = 'person-crop.jpg';
export const FRAME_JPEG_FILE = 'frame-annotated.jpg';
/** Height the crop is enlarged to when smaller: CCTV people are often 60-150 px tall. */
const CROP_MIN_HEIGHT = 480;
const WORK_TIMEOUT_MS = 60_000;

export interface PersonCrop { path: string; region: BBox; scale: number }

/** Region around the box: a margin of 15 % of its width and 8 % of its height, inside the frame, even-sized. */
export function cropRegion(box: BBox, width: number, height: number): BBox {
  const [x, y, w, h] = box;
  const mx = Math.max(2, w * 0.15);
  const my = Math.max(2, h * 0.08);
  const x0 = Math.max(0, Math.floor(x - mx));
  const y0 = Math.max(0, Math.floor(y - my));
  const x1 = Math.min(width, Math.ceil(x + w + mx));
  const y1 = Math.min(height, Math.ceil(y + h + my));
  const even = (n: number): number => Math.max(2, n - (n % 2));
  return [x0, y0, even(x1 - x0), even(y1 - y0)];
}

/** Writes person-crop.jpg (from frame.png) and frame-annotated.jpg (from frame-annotated.png) into dir. */
export async function reportImages(ffmpeg: string, dir: string, box: BBox, width: number, height: number): Promise<PersonCrop> {
  const region = cropRegion(box, width, height);
  const scale = Math.max(1, CROP_MIN_HEIGHT / region[3]);
  const outH = Math.round((region[3] * scale) / 2) * 2;
  const plain = path.join(dir, 'frame.png');
  await runFfmpeg(ffmpeg, ['-v', 'error', '-y', '-i', fileUrl(plain), '-vf', `crop=${region[2]}:${region[3]}:${region[0]}:${region[1]},scale=-2:${outH}:flags=lanczos`,
    '-q:v', '2', '-frames:v', '1', '-update', '1', path.join(dir, PERSON_CROP_FILE)], { file: plain, timeoutMs: WORK_TIMEOUT_MS });
  const annotated = path.join(dir, 'frame-annotated.png');
  await runFfmpeg(ffmpeg, ['-v', 'error', '-y', '-i', fileUrl(annotated), '-q:v', '2', '-frames:v', '1', '-update', '1', path.join(dir, FRAME_JPEG_FILE)],
    { file: annotated, timeoutMs: WORK_TIMEOUT_MS });
  return { path: PERSON_CROP_FILE, region, scale: Math.round(scale * 100) / 100 };
}
