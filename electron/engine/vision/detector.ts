// Person detector: runs a detector manifest's ONNX model (NanoDet GFL or Ultralytics YOLOv8/11
// export) on RGB frames and returns person boxes in source-frame pixels.
import * as ort from 'onnxruntime-node';
import * as path from 'node:path';
import type { BBox } from '../contract';
import type { RgbImage } from './frame';
import { type DetectorManifest, loadDetectorManifest, ModelError } from './manifest';
import { OnnxModel, validateImageInput } from './onnxModel';
import type { ProviderPreference } from './providers';
import { decodeNanodet, decodeYolov8 } from './detector-decode';
import { nmsPerClass, type ScoredBox } from './nms';
import { detectAdaptive, mergeTileDetections, planTiles, tileImage, type Tile, type TileKeeper, type TileMode, type TilePasses } from './tiles';

export interface Detection {
  /** [x, y, w, h] in source-frame pixels, clipped to the frame. */
  bbox: BBox;
  score: number;
}

export interface DetectorOptions {
  provider?: ProviderPreference;
  /** Overrides the manifest's scoreThreshold / nmsIoU. */
  scoreThreshold?: number;
  nmsIoU?: number;
  /** Frames per inference run when the model's batch axis is dynamic (default 4: on CPU larger batches were slower per frame). */
  maxBatch?: number;
  /** Also run wide high-resolution frames as overlapping tiles (vision/tiles.ts; default 'auto'). */
  tiles?: TileMode;
}

type InputSpec = DetectorManifest['input'];

/** Where the frame lands in the model input: input = source * scale + pad. */
export interface InputTransform {
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
  /** Size of the resized frame inside the input (equals the input size for "stretch"). */
  drawWidth: number;
  drawHeight: number;
}

// Ultralytics letterbox fill colour.
const LETTERBOX_FILL = 114;

export function planInput(srcWidth: number, srcHeight: number, input: InputSpec): InputTransform {
  if (input.resize === 'stretch') {
    return { scaleX: input.width / srcWidth, scaleY: input.height / srcHeight, padX: 0, padY: 0, drawWidth: input.width, drawHeight: input.height };
  }
  const scale = Math.min(input.width / srcWidth, input.height / srcHeight);
  const drawWidth = Math.max(1, Math.min(input.width, Math.round(srcWidth * scale)));
  const drawHeight = Math.max(1, Math.min(input.height, Math.round(srcHeight * scale)));
  return {
    scaleX: drawWidth / srcWidth,
    scaleY: drawHeight / srcHeight,
    padX: Math.floor((input.width - drawWidth) / 2),
    padY: Math.floor((input.height - drawHeight) / 2),
    drawWidth,
    drawHeight,
  };
}

interface AxisTable { lo: Int32Array; hi: Int32Array; w: Float32Array }
const axisCache = new Map<string, AxisTable>();

/** Bilinear source taps along one axis (half-pixel centres, like cv2.resize INTER_LINEAR). */
function axisTable(src: number, dst: number, step: number): AxisTable {
  const key = `${src}:${dst}:${step}`;
  let t = axisCache.get(key);
  if (t) return t;
  t = { lo: new Int32Array(dst), hi: new Int32Array(dst), w: new Float32Array(dst) };
  const ratio = src / dst;
  for (let i = 0; i < dst; i++) {
    const s = Math.min(Math.max((i + 0.5) * ratio - 0.5, 0), src - 1);
    const lo = Math.floor(s);
    t.lo[i] = lo * step;
    t.hi[i] = Math.min(lo + 1, src - 1) * step;
    t.w[i] = s - lo;
  }
  if (axisCache.size > 64) axisCache.clear();
  axisCache.set(key, t);
  return t;
}

/**
 * Writes one frame, resized and normalised per the manifest, into out[offset …] (one image of
 * the input tensor). No per-pixel allocation: precomputed taps, one pass over the output.
 */
export function preprocessInto(frame: RgbImage, input: InputSpec, out: Float32Array, offset: number): InputTransform {
  const { width: sw, height: sh, data } = frame;
  if (data.length < sw * sh * 3) throw new Error(`frame data has ${data.length} bytes, expected ${sw * sh * 3} (RGB24 ${sw}x${sh})`);
  const W = input.width;
  const H = input.height;
  const tr = planInput(sw, sh, input);
  // model channel k reads source channel src[k]
  const src = input.colorOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const [s0, s1, s2] = src;
  const m0 = input.mean[0], m1 = input.mean[1], m2 = input.mean[2];
  const i0 = 1 / input.std[0], i1 = 1 / input.std[1], i2 = 1 / input.std[2];
  const nchw = input.layout === 'NCHW';
  const plane = W * H;
  // channel / pixel strides of the output
  const cs = nchw ? plane : 1;
  const ps = nchw ? 1 : 3;

  if (tr.drawWidth !== W || tr.drawHeight !== H) {
    const f = [LETTERBOX_FILL, LETTERBOX_FILL, LETTERBOX_FILL];
    const v0 = (f[s0] - m0) * i0, v1 = (f[s1] - m1) * i1, v2 = (f[s2] - m2) * i2;
    for (let p = 0; p < plane; p++) {
      const o = offset + p * ps;
      out[o] = v0;
      out[o + cs] = v1;
      out[o + 2 * cs] = v2;
    }
  }

  const xs = axisTable(sw, tr.drawWidth, 3);
  const ys = axisTable(sh, tr.drawHeight, sw * 3);
  for (let y = 0; y < tr.drawHeight; y++) {
    const rowA = ys.lo[y];
    const rowB = ys.hi[y];
    const wy = ys.w[y];
    let o = offset + ((y + tr.padY) * W + tr.padX) * ps;
    for (let x = 0; x < tr.drawWidth; x++, o += ps) {
      const xa = xs.lo[x];
      const xb = xs.hi[x];
      const wx = xs.w[x];
      const a = rowA + xa, b = rowA + xb, c = rowB + xa, d = rowB + xb;
      const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
      out[o] = (data[a + s0] * w00 + data[b + s0] * w01 + data[c + s0] * w10 + data[d + s0] * w11 - m0) * i0;
      out[o + cs] = (data[a + s1] * w00 + data[b + s1] * w01 + data[c + s1] * w10 + data[d + s1] * w11 - m1) * i1;
      out[o + 2 * cs] = (data[a + s2] * w00 + data[b + s2] * w01 + data[c + s2] * w10 + data[d + s2] * w11 - m2) * i2;
    }
  }
  return tr;
}

/** Model-input boxes -> source-frame boxes, clipped; empty boxes are dropped. */
export function toFrameDetections(boxes: readonly ScoredBox[], tr: InputTransform, frameWidth: number, frameHeight: number): Detection[] {
  const out: Detection[] = [];
  for (const { bbox, score } of boxes) {
    const x1 = Math.min(Math.max((bbox[0] - tr.padX) / tr.scaleX, 0), frameWidth);
    const y1 = Math.min(Math.max((bbox[1] - tr.padY) / tr.scaleY, 0), frameHeight);
    const x2 = Math.min(Math.max((bbox[0] + bbox[2] - tr.padX) / tr.scaleX, 0), frameWidth);
    const y2 = Math.min(Math.max((bbox[1] + bbox[3] - tr.padY) / tr.scaleY, 0), frameHeight);
    if (x2 - x1 < 1 || y2 - y1 < 1) continue;
    out.push({ bbox: [x1, y1, x2 - x1, y2 - y1], score });
  }
  return out;
}

function validate(m: DetectorManifest): void {
  const where = path.join(m.dir, 'manifest.json');
  validateImageInput(where, m.input);
  if (m.input.resize !== 'stretch' && m.input.resize !== 'letterbox') throw new ModelError(`${where}: unknown resize ${m.input.resize}`);
  if (m.format === 'nanodet' && !m.nanodet) throw new ModelError(`${where}: format "nanodet" needs a "nanodet" block`);
  if (m.format !== 'nanodet' && m.format !== 'yolov8') throw new ModelError(`${where}: unknown detector format ${m.format}`);
}

/** Adaptive tiles for one batch of one video's frames (Detector.detect). */
export interface AdaptiveDetect {
  /** Source time of each frame. */
  times: readonly number[];
  keeper: TileKeeper;
  /** The person filter: only plausible people count as found by a tile. */
  plausible: (dets: readonly Detection[], w: number, h: number) => Detection[];
}

/** A tile's boxes in frame pixels. */
function shifted(dets: readonly Detection[], tile: Tile): Detection[] {
  return dets.map((d) => ({ ...d, bbox: [d.bbox[0] + tile.x, d.bbox[1] + tile.y, d.bbox[2], d.bbox[3]] as BBox }));
}

export class Detector {
  private constructor(
    readonly manifest: DetectorManifest,
    private readonly model: OnnxModel,
    private readonly scoreThreshold: number,
    private readonly nmsIoU: number,
    /** Frames per run; fixedBatch: the model takes exactly this many (unused slots are zeros). */
    readonly batchSize: number,
    private readonly fixedBatch: boolean,
    readonly tiles: TileMode,
  ) {}

  /** What shapes this detector's boxes, for the index's identity: the model, and tiling when on. */
  get identity(): string {
    return `${this.manifest.id}@${this.manifest.version}${this.tiles === 'auto' ? '+tiles' : this.tiles === 'adaptive' ? '+tiles-adaptive' : ''}`;
  }

  /** Loads (and checksum-verifies) a detector by model id or folder (default nanodet-m-coco). */
  static async load(idOrDir?: string, options: ProviderPreference | DetectorOptions = 'auto'): Promise<Detector> {
    const opts: DetectorOptions = typeof options === 'string' ? { provider: options } : options;
    const manifest = loadDetectorManifest(idOrDir);
    validate(manifest);
    const model = await OnnxModel.open(manifest, manifest.file, opts.provider);
    const dynamic = manifest.batch === 'dynamic';
    const fixed = typeof manifest.batch === 'number' ? manifest.batch : 1;
    return new Detector(
      manifest,
      model,
      opts.scoreThreshold ?? manifest.scoreThreshold,
      opts.nmsIoU ?? manifest.nmsIoU,
      dynamic ? Math.max(1, opts.maxBatch ?? 4) : fixed,
      !dynamic,
      opts.tiles ?? 'auto',
    );
  }

  /** Execution provider that opened the model ('cpu', 'cuda', …). */
  get provider(): string { return this.model.provider; }

  private buffer = new Float32Array(0);

  /** People in one frame. */
  async detectFrame(frame: RgbImage): Promise<Detection[]> {
    return (await this.detect([frame]))[0];
  }

  /** Detector inputs run so far (a tiled frame is several): benchmarks count passes. */
  passesRun = 0;

  /**
   * One Detection[] per frame, in order; frames may differ in size. Runs batchSize frames per inference.
   * With tiles 'adaptive' and `adaptive` given (one video's frames in time order, its keeper, the person filter),
   * the tile passes run only where the keeper wants them (vision/tiles.ts); without it 'adaptive' tiles as 'auto'.
   */
  async detect(frames: readonly RgbImage[], adaptive?: AdaptiveDetect): Promise<Detection[][]> {
    if (adaptive && this.tiles === 'adaptive') {
      return (await detectAdaptive(this.passes, frames, adaptive.times, adaptive.keeper, adaptive.plausible)).detections;
    }
    const plans = frames.map((f) => planTiles(f.width, f.height, this.manifest.input, this.tiles));
    const images = frames.flatMap((f, i) => plans[i].map((t) => tileImage(f, t)));
    // Runs are serialised: the input buffer is reused, and ORT reads it while run() is pending.
    const found = await this.model.serial(() => this.model.inBatches(images, this.batchSize, (chunk) => this.runChunk(chunk)));
    let k = 0;
    return frames.map((f, i) => {
      if (plans[i].length === 1) return found[k++];
      const passes = plans[i].map((tile) => ({
        tile,
        detections: shifted(found[k++], tile),
      }));
      return mergeTileDetections(passes, f.width, this.nmsIoU);
    });
  }

  /** The whole-frame pass, the tile passes and their merge, separately (adaptive tiles). */
  private readonly passes: TilePasses<Detection> = {
    whole: (frames) => this.runAll(frames),
    tiles: async (frames) => {
      const plans = frames.map((f) => planTiles(f.width, f.height, this.manifest.input, this.tiles).slice(1));
      const found = await this.runAll(frames.flatMap((f, i) => plans[i].map((t) => tileImage(f, t))));
      let k = 0;
      return plans.map((plan) => plan.map((tile) => ({ tile, detections: shifted(found[k++], tile) })));
    },
    merge: (frame, whole, tiles) => mergeTileDetections([{ tile: { x: 0, y: 0, width: frame.width, height: frame.height }, detections: whole }, ...tiles], frame.width, this.nmsIoU),
  };

  private runAll(images: readonly RgbImage[]): Promise<Detection[][]> {
    return this.model.serial(() => this.model.inBatches(images, this.batchSize, (chunk) => this.runChunk(chunk)));
  }

  private async runChunk(frames: readonly RgbImage[]): Promise<Detection[][]> {
    this.passesRun += frames.length;
    const { input } = this.manifest;
    const per = 3 * input.width * input.height;
    const n = this.fixedBatch ? this.batchSize : frames.length;
    if (this.buffer.length < n * per) this.buffer = new Float32Array(n * per);
    const data = this.buffer.length === n * per ? this.buffer : this.buffer.subarray(0, n * per);
    if (this.fixedBatch && frames.length < n) data.fill(0, frames.length * per);
    const transforms = frames.map((f, b) => preprocessInto(f, input, data, b * per));
    const dims = input.layout === 'NCHW' ? [n, 3, input.height, input.width] : [n, input.height, input.width, 3];
    const outputs = await this.model.run({ [input.name]: new ort.Tensor('float32', data, dims) });
    try {
      return frames.map((f, b) => {
        const boxes = nmsPerClass(this.decode(outputs, b), this.nmsIoU);
        return toFrameDetections(boxes, transforms[b], f.width, f.height);
      });
    } finally {
      for (const t of Object.values(outputs)) t.dispose?.();
    }
  }

  /** Raw candidates of image b, in model-input pixels. */
  private decode(outputs: ort.InferenceSession.OnnxValueMapType, b: number): ScoredBox[] {
    const m = this.manifest;
    const classIds = [m.personClass];
    const slice = (name: string): { data: Float32Array; dims: readonly number[] } => {
      const t = outputs[name];
      if (!t) throw new ModelError(`${m.id}: model has no output "${name}"`);
      const per = t.dims.slice(1).reduce((a, d) => a * d, 1);
      return { data: (t.data as Float32Array).subarray(b * per, (b + 1) * per), dims: t.dims };
    };
    if (m.format === 'nanodet') {
      const nd = m.nanodet!;
      const levels = nd.strides.map((stride, k) => ({
        stride,
        cls: slice(nd.outputs[k][0]).data,
        reg: slice(nd.outputs[k][1]).data,
      }));
      return decodeNanodet(levels, {
        inputWidth: m.input.width,
        inputHeight: m.input.height,
        numClasses: m.numClasses,
        regMax: nd.regMax,
        centerOffset: nd.centerOffset ?? 0.5,
        scoresAreProbabilities: nd.scoresAreProbabilities ?? true,
        classIds,
        scoreThreshold: this.scoreThreshold,
      });
    }
    const out = slice(this.model.outputNames[0]);
    if (out.dims.length !== 3) throw new ModelError(`${m.id}: yolov8 output must be [N, 4 + C, anchors], got [${out.dims.join(', ')}]`);
    return decodeYolov8(out.data, [out.dims[1], out.dims[2]], { numClasses: m.numClasses, classIds, scoreThreshold: this.scoreThreshold });
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
