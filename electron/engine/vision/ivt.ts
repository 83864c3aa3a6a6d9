// The IVT dual encoder at inference time: person crops and descriptions are embedded separately
// into one joint space (L2-normalised), so crops are indexed once and a query costs one text pass.
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BBox } from '../contract';
import { cropToTensor } from './crop';
import type { RgbImage } from './frame';
import { IvtManifest, loadIvtManifest } from './manifest';
import { createSession, ProviderAttempt, ProviderPreference } from './providers';
import { WordPieceTokenizer } from './tokenizer';

export interface TextEmbedding {
  vector: Float32Array;
  unknownWords: string[];
  /** How the text was read: the manifest's token limit, tokens cut past it, whether any word was known. */
  reading: { maxTokens: number; droppedTokens: number; noKnownWords: boolean };
}

export function l2normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

export class ImageEncoder {
  private constructor(readonly manifest: IvtManifest, private session: ort.InferenceSession, readonly provider: string, readonly attempts: ProviderAttempt[]) {}

  static async load(idOrDir?: string, pref: ProviderPreference = 'auto'): Promise<ImageEncoder> {
    const m = loadIvtManifest(idOrDir);
    const opened = await createSession(path.join(m.dir, m.image.file), pref);
    return new ImageEncoder(m, opened.session, opened.provider, opened.attempts);
  }

  get dim(): number { return this.manifest.embeddingDim; }

  /** Embeds person crops (boxes of one or more frames) in one batch; returns one vector per crop. */
  async embedCrops(crops: { image: RgbImage; bbox: BBox }[]): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    const { width, height, mean, std, input, output } = this.manifest.image;
    const size = 3 * width * height;
    const batch = new Float32Array(crops.length * size);
    crops.forEach((c, i) => cropToTensor(c.image, c.bbox, width, height, { mean, std }, batch, i * size));
    const out = await this.session.run({ [input]: new ort.Tensor('float32', batch, [crops.length, 3, height, width]) });
    const data = out[output].data as Float32Array;
    const d = this.dim;
    return crops.map((_, i) => l2normalise(data.slice(i * d, (i + 1) * d)));
  }

  async close(): Promise<void> { await this.session.release(); }
}

export class TextEncoder {
  private constructor(readonly manifest: IvtManifest, private session: ort.InferenceSession, private tokenizer: WordPieceTokenizer, readonly provider: string) {}

  static async load(idOrDir?: string, pref: ProviderPreference = 'auto'): Promise<TextEncoder> {
    const m = loadIvtManifest(idOrDir);
    const tokenizer = WordPieceTokenizer.fromFile(path.join(m.dir, m.tokenizer.vocab), m.tokenizer);
    // Text is one short sequence per query: the CPU is as fast as any GPU round trip for it.
    const opened = await createSession(path.join(m.dir, m.text.file), pref === 'auto' ? 'cpu' : pref);
    return new TextEncoder(m, opened.session, tokenizer, opened.provider);
  }

  async embed(text: string): Promise<TextEmbedding> {
    const { maxTokens, inputs, output } = this.manifest.text;
    const enc = this.tokenizer.encode(text, maxTokens);
    const ids = BigInt64Array.from(Array.from(enc.ids, (x) => BigInt(x)));
    const mask = BigInt64Array.from(Array.from(enc.mask, (x) => BigInt(x)));
    const out = await this.session.run({
      [inputs.ids]: new ort.Tensor('int64', ids, [1, ids.length]),
      [inputs.mask]: new ort.Tensor('int64', mask, [1, mask.length]),
    });
    return {
      vector: l2normalise(Float32Array.from(out[output].data as Float32Array)), unknownWords: enc.unknownWords,
      reading: { maxTokens, droppedTokens: enc.droppedTokens, noKnownWords: enc.knownTokens === 0 },
    };
  }

  async close(): Promise<void> { await this.session.release(); }
}
