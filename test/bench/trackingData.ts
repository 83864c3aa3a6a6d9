// Raw per-frame detections of a clip, with both appearance vectors (IVT for the old tracker, ReID
// for the current one), computed once with the engine's own sampler, detector and encoders and cached
// in the bench cache folder, so both trackers can be replayed on exactly the same detections.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BBox } from '../../electron/engine/contract';
import { DEFAULT_MAX_SIDE } from '../../electron/engine/indexing/indexVideo';
import { CROP_MARGIN, REID_CROP_MARGIN } from '../../electron/engine/indexing/thumbnail';
import { clipBox } from '../../electron/engine/vision/crop';
import type { Detector } from '../../electron/engine/vision/detector';
import type { IvtImageEncoders } from '../../electron/engine/vision/ivt';
import type { ReidEncoder } from '../../electron/engine/vision/reid';
import { sampleFrames, type Frame } from '../../electron/engine/video/sampler';
import { cacheDir } from './fixtures';

export interface RawDetection { bbox: BBox; score: number; ivt: Float32Array; reid: Float32Array }
export interface RawFrame { t: number; dets: RawDetection[] }
export interface RawClip { width: number; height: number; frames: RawFrame[] }

export async function rawDetections(file: string, m: { detector: Detector; encoder: IvtImageEncoders; reid: ReidEncoder }, ffmpeg: string, fps = 2): Promise<RawClip> {
  const stat = fs.statSync(file);
  const key = crypto.createHash('sha256').update(`${path.resolve(file)}|${stat.size}|${stat.mtimeMs}|${fps}|${m.detector.manifest.version}|${m.reid.space}|${CROP_MARGIN}|${REID_CROP_MARGIN}|v1`).digest('hex').slice(0, 16);
  const cached = path.join(cacheDir(), `tracking-${path.basename(file)}-${key}.json`);
  if (fs.existsSync(cached)) return decode(JSON.parse(fs.readFileSync(cached, 'utf8')));
  const out: RawClip = { width: 0, height: 0, frames: [] };
  let batch: Frame[] = [];
  const flush = async (): Promise<void> => {
    const boxes = await m.detector.detect(batch);
    for (let i = 0; i < batch.length; i++) {
      const f = batch[i];
      out.width = Math.round(f.width / f.scale);
      out.height = Math.round(f.height / f.scale);
      const [ivt] = await m.encoder.embedCrops(boxes[i].map((d) => ({ image: f, bbox: clipBox(d.bbox, f.width, f.height, CROP_MARGIN) })));
      const reid = await m.reid.embed(boxes[i].map((d) => ({ image: f, bbox: clipBox(d.bbox, f.width, f.height, REID_CROP_MARGIN) })));
      out.frames.push({
        t: f.timeS,
        dets: boxes[i].map((d, j) => ({ bbox: d.bbox.map((x) => x / f.scale) as BBox, score: d.score, ivt: ivt[j], reid: reid[j] })),
      });
    }
    batch = [];
  };
  for await (const f of sampleFrames(file, { ffmpegPath: ffmpeg, fps, maxSide: DEFAULT_MAX_SIDE })) {
    batch.push(f);
    if (batch.length >= 8) await flush();
  }
  if (batch.length) await flush();
  fs.writeFileSync(cached, JSON.stringify(encode(out)));
  return out;
}

const b64 = (v: Float32Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
const f32 = (s: string): Float32Array => { const b = Buffer.from(s, 'base64'); return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); };

function encode(c: RawClip): unknown {
  return { ...c, frames: c.frames.map((f) => ({ t: f.t, dets: f.dets.map((d) => ({ ...d, ivt: b64(d.ivt), reid: b64(d.reid) })) })) };
}
function decode(j: { width: number; height: number; frames: { t: number; dets: { bbox: BBox; score: number; ivt: string; reid: string }[] }[] }): RawClip {
  return { ...j, frames: j.frames.map((f) => ({ t: f.t, dets: f.dets.map((d) => ({ ...d, ivt: f32(d.ivt), reid: f32(d.reid) })) })) };
}
