// The one way Sightline opens an ONNX network: the manifest (already checksum-verified by
// manifest.ts) names the file, providers.ts picks the execution provider (each tried alone, CPU
// last, every attempt reported), and runs can be serialised and split into batches. The detector,
// the IVT encoders, the ReID and the attribute networks are thin classes over this.
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BBox } from '../contract';
import { cropToInput } from './crop';
import type { RgbImage } from './frame';
import { type ImageInputSpec, ModelError } from './manifest';
import { createSession, type ProviderAttempt, type ProviderPreference } from './providers';

export type Feeds = Record<string, ort.Tensor>;
export type Outputs = ort.InferenceSession.OnnxValueMapType;

/** A person crop to run through a crop network: a box of a decoded frame. */
export interface Crop { image: RgbImage; bbox: BBox }

export class OnnxModel {
  // Serialised runs share one queue: callers that reuse an input buffer need the previous run done.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly session: ort.InferenceSession,
    /** Execution provider that opened the model ('cpu', 'cuda', …). */
    readonly provider: string,
    /** Every provider tried, and why those before `provider` failed. */
    readonly attempts: ProviderAttempt[],
    readonly file: string,
  ) {}

  /** Opens `file` of a manifest folder with the preferred provider, falling back to CPU. */
  static async open(manifest: { dir: string }, file: string, pref: ProviderPreference = 'auto'): Promise<OnnxModel> {
    const full = path.join(manifest.dir, file);
    const opened = await createSession(full, pref);
    return new OnnxModel(opened.session, opened.provider, opened.attempts, full);
  }

  get outputNames(): readonly string[] { return this.session.outputNames; }

  /** One inference run; `fetches`: only these outputs (default: all). */
  run(feeds: Feeds, fetches?: readonly string[]): Promise<Outputs> {
    return fetches ? this.session.run(feeds, fetches as string[]) : this.session.run(feeds);
  }

  /** Runs `job` after every job queued before it has finished. */
  serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Splits `items` into runs of at most `batchSize` (one after another) and concatenates the results. */
  async inBatches<I, O>(items: readonly I[], batchSize: number, runChunk: (chunk: readonly I[]) => Promise<O[]>): Promise<O[]> {
    const out: O[] = [];
    for (let i = 0; i < items.length; i += batchSize) out.push(...(await runChunk(items.slice(i, i + batchSize))));
    return out;
  }

  /** The named output, or a clear error naming the model file. */
  output(outputs: Outputs, name: string): ort.Tensor {
    const t = outputs[name];
    if (!t) throw new ModelError(`${this.file}: model has no output "${name}" (has ${Object.keys(outputs).join(', ')})`);
    return t as ort.Tensor;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** Checks the fields every image input needs; `where` names the manifest in the error. */
export function validateImageInput(where: string, inp: ImageInputSpec | undefined): void {
  if (!inp || inp.mean?.length !== 3 || inp.std?.length !== 3 || inp.std.some((s) => !(s > 0))) {
    throw new ModelError(`${where}: input.mean/std must be 3 numbers (std > 0)`);
  }
  if (inp.layout !== 'NCHW' && inp.layout !== 'NHWC') throw new ModelError(`${where}: unknown layout ${inp.layout}`);
  if (inp.colorOrder !== 'RGB' && inp.colorOrder !== 'BGR') throw new ModelError(`${where}: unknown colorOrder ${inp.colorOrder}`);
  if (!(inp.width > 0 && inp.height > 0)) throw new ModelError(`${where}: input.width/height must be positive`);
}

/** Cuts, resizes and normalises crops per the manifest's input into one batch tensor. */
export function cropBatch(crops: readonly Crop[], input: ImageInputSpec): ort.Tensor {
  const { width, height } = input;
  const per = 3 * width * height;
  const data = new Float32Array(crops.length * per);
  crops.forEach((c, i) => cropToInput(c.image, c.bbox, input, data, i * per));
  const dims = input.layout === 'NCHW' ? [crops.length, 3, height, width] : [crops.length, height, width, 3];
  return new ort.Tensor('float32', data, dims);
}

/** Default crops per run for the crop networks (batch 8 measured in the model cards). */
export const CROP_BATCH = 8;
