// Person crops: bilinear resampling of a box of the frame, either into a normalised tensor
// (the IVT image encoder's, the ReID and attribute networks' input) or into a small RGB image
// (the sighting's thumbnail).
import type { BBox } from '../contract';
import type { RgbImage } from './frame';
import type { ImageInputSpec } from './manifest';

export interface Normalisation { mean: number[]; std: number[] }

/** Grows a box by a margin and clips it to the frame (people's edges are often cut by the detector). */
export function clipBox(b: BBox, width: number, height: number, margin = 0): BBox {
  const mx = b[2] * margin, my = b[3] * margin;
  const x0 = Math.max(0, b[0] - mx), y0 = Math.max(0, b[1] - my);
  const x1 = Math.min(width, b[0] + b[2] + mx), y1 = Math.min(height, b[1] + b[3] + my);
  return [x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
}

/** Reused between crops (crops are made one at a time, synchronously): no allocation per crop. */
let scratch = new Float64Array(0);
let colX0 = new Int32Array(0), colX1 = new Int32Array(0), colW = new Float64Array(0);

/**
 * Samples box `b` of `img` bilinearly at (outW × outH): interleaved R, G, B values (0–255, not
 * rounded) per output pixel, in a buffer reused by the next call. Column positions and weights are
 * worked out once per crop, not once per pixel, and the samples land in a plain array that the
 * callers then read in one tight loop (a per-pixel callback made cropping cost as much as the ReID
 * network itself). Doubles, so every caller gets the same values as before to the last bit.
 */
function sampleBox(img: RgbImage, b: BBox, outW: number, outH: number): Float64Array {
  const { width, height, data } = img;
  const sx = b[2] / outW, sy = b[3] / outH;
  if (scratch.length < outW * outH * 3) scratch = new Float64Array(outW * outH * 3);
  if (colX0.length < outW) { colX0 = new Int32Array(outW); colX1 = new Int32Array(outW); colW = new Float64Array(outW); }
  for (let ox = 0; ox < outW; ox++) {
    const fx = Math.min(width - 1, Math.max(0, b[0] + (ox + 0.5) * sx - 0.5));
    const x0 = Math.floor(fx);
    colX0[ox] = x0 * 3;
    colX1[ox] = Math.min(width - 1, x0 + 1) * 3;
    colW[ox] = fx - x0;
  }
  const out = scratch;
  for (let oy = 0; oy < outH; oy++) {
    const fy = Math.min(height - 1, Math.max(0, b[1] + (oy + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(height - 1, y0 + 1), wy = fy - y0;
    const r0 = y0 * width * 3, r1 = y1 * width * 3;
    let o = oy * outW * 3;
    for (let ox = 0; ox < outW; ox++, o += 3) {
      const wx = colW[ox];
      const p00 = r0 + colX0[ox], p01 = r0 + colX1[ox], p10 = r1 + colX0[ox], p11 = r1 + colX1[ox];
      const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
      out[o] = data[p00] * w00 + data[p01] * w01 + data[p10] * w10 + data[p11] * w11;
      out[o + 1] = data[p00 + 1] * w00 + data[p01 + 1] * w01 + data[p10 + 1] * w10 + data[p11 + 1] * w11;
      out[o + 2] = data[p00 + 2] * w00 + data[p01 + 2] * w01 + data[p10 + 2] * w10 + data[p11 + 2] * w11;
    }
  }
  return out;
}

/** Writes the crop as float32 CHW, RGB, (x/255 - mean)/std, into `dst` starting at `offset`. */
export function cropToTensor(img: RgbImage, b: BBox, outW: number, outH: number, norm: Normalisation, dst: Float32Array, offset: number): void {
  const plane = outW * outH;
  const [mr, mg, mb] = norm.mean, [sr, sg, sb] = norm.std;
  const px = sampleBox(img, b, outW, outH);
  for (let i = 0; i < plane; i++) {
    dst[offset + i] = (px[3 * i] / 255 - mr) / sr;
    dst[offset + plane + i] = (px[3 * i + 1] / 255 - mg) / sg;
    dst[offset + 2 * plane + i] = (px[3 * i + 2] / 255 - mb) / sb;
  }
}

/**
 * Writes the crop as one image of a network's input, per its manifest: channel order (RGB/BGR),
 * layout (NCHW/NHWC) and (pixel - mean) / std with mean/std in 0–255 units (mean 0, std 1: the
 * raw 0–255 values OpenVINO networks take).
 */
export function cropToInput(img: RgbImage, b: BBox, input: ImageInputSpec, dst: Float32Array, offset: number): void {
  const { width: outW, height: outH, mean, std } = input;
  const plane = outW * outH;
  const cs = input.layout === 'NCHW' ? plane : 1; // channel stride
  const ps = input.layout === 'NCHW' ? 1 : 3; // pixel stride
  const bgr = input.colorOrder === 'BGR';
  const i0 = 1 / std[0], i1 = 1 / std[1], i2 = 1 / std[2];
  const px = sampleBox(img, b, outW, outH);
  const first = bgr ? 2 : 0, last = bgr ? 0 : 2;
  for (let i = 0; i < plane; i++) {
    const o = offset + i * ps;
    dst[o] = (px[3 * i + first] - mean[0]) * i0;
    dst[o + cs] = (px[3 * i + 1] - mean[1]) * i1;
    dst[o + 2 * cs] = (px[3 * i + last] - mean[2]) * i2;
  }
}

/** A small RGB image of the box, `height` pixels tall, keeping the box's aspect ratio. */
export function cropToImage(img: RgbImage, b: BBox, height: number): RgbImage {
  const outH = Math.max(1, Math.round(height));
  const outW = Math.max(1, Math.round((b[2] / b[3]) * outH));
  const data = new Uint8Array(outW * outH * 3);
  const px = sampleBox(img, b, outW, outH);
  for (let i = 0; i < outW * outH * 3; i++) data[i] = px[i] + 0.5;
  return { width: outW, height: outH, data };
}
