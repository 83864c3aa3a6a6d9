// Decoding raw detector outputs into scored boxes in model-input pixels ([x, y, w, h]).
// Pure functions over typed arrays so they can be unit-tested without a model.
import type { ScoredBox } from './nms';

export interface NanodetLevel {
  stride: number;
  /** [cells, numClasses] for one image, row-major. */
  cls: Float32Array;
  /** [cells, 4 * (regMax + 1)] for one image: l, t, r, b distributions. */
  reg: Float32Array;
}

export interface NanodetParams {
  inputWidth: number;
  inputHeight: number;
  numClasses: number;
  regMax: number;
  /** Cell centre = (col + centerOffset) * stride; NanoDet (GFL) uses 0.5. */
  centerOffset: number;
  /** false: cls holds logits and gets a sigmoid. */
  scoresAreProbabilities: boolean;
  classIds: readonly number[];
  scoreThreshold: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Expected value of a softmax distribution over bins 0..n-1 starting at reg[off]. */
function distributionMean(reg: Float32Array, off: number, n: number): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) if (reg[off + k] > max) max = reg[off + k];
  let sum = 0;
  let acc = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(reg[off + k] - max);
    sum += e;
    acc += e * k;
  }
  return acc / sum;
}

/** NanoDet GFL head: per-stride class scores + per-side distance distributions. */
export function decodeNanodet(levels: readonly NanodetLevel[], p: NanodetParams): ScoredBox[] {
  const out: ScoredBox[] = [];
  const bins = p.regMax + 1;
  for (const { stride, cls, reg } of levels) {
    const cols = Math.ceil(p.inputWidth / stride);
    const cells = cls.length / p.numClasses;
    if (!Number.isInteger(cells) || reg.length !== cells * 4 * bins) {
      throw new Error(`nanodet stride ${stride}: cls/reg sizes ${cls.length}/${reg.length} do not match ${p.numClasses} classes, reg_max ${p.regMax}`);
    }
    for (let i = 0; i < cells; i++) {
      for (const c of p.classIds) {
        const raw = cls[i * p.numClasses + c];
        const score = p.scoresAreProbabilities ? raw : sigmoid(raw);
        if (!(score > p.scoreThreshold)) continue;
        const cx = ((i % cols) + p.centerOffset) * stride;
        const cy = (Math.floor(i / cols) + p.centerOffset) * stride;
        const base = i * 4 * bins;
        const l = distributionMean(reg, base, bins) * stride;
        const t = distributionMean(reg, base + bins, bins) * stride;
        const r = distributionMean(reg, base + 2 * bins, bins) * stride;
        const b = distributionMean(reg, base + 3 * bins, bins) * stride;
        out.push({ bbox: [cx - l, cy - t, l + r, t + b], score, classId: c });
      }
    }
  }
  return out;
}

export interface YoloParams {
  numClasses: number;
  classIds: readonly number[];
  scoreThreshold: number;
}

/**
 * Ultralytics YOLOv8/YOLO11 export: one image's [4 + C, N] tensor (cx, cy, w, h in input
 * pixels, then per-class probabilities; no objectness). Also accepts the transposed [N, 4 + C]
 * layout some exporters emit: pass the two trailing dims and it picks the one equal to 4 + C.
 */
export function decodeYolov8(data: Float32Array, dims: readonly [number, number], p: YoloParams): ScoredBox[] {
  const ch = 4 + p.numClasses;
  let n: number;
  let at: (row: number, anchor: number) => number;
  if (dims[0] === ch) {
    n = dims[1];
    at = (row, a) => data[row * n + a];
  } else if (dims[1] === ch) {
    n = dims[0];
    at = (row, a) => data[a * ch + row];
  } else {
    throw new Error(`yolov8 output [${dims.join(', ')}] has no axis of 4 + ${p.numClasses} channels`);
  }
  if (data.length !== n * ch) throw new Error(`yolov8 output has ${data.length} values, expected ${n * ch}`);
  const out: ScoredBox[] = [];
  for (let a = 0; a < n; a++) {
    for (const c of p.classIds) {
      const score = at(4 + c, a);
      if (!(score > p.scoreThreshold)) continue;
      const w = at(2, a);
      const h = at(3, a);
      out.push({ bbox: [at(0, a) - w / 2, at(1, a) - h / 2, w, h], score, classId: c });
    }
  }
  return out;
}
