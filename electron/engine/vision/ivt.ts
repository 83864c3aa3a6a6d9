// The IVT dual encoder at inference time: person crops and descriptions are embedded separately
// into one joint space (L2-normalised), so crops are indexed once and a query costs one text pass.
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BBox } from '../contract';
import { cropToTensor } from './crop';
import type { RgbImage } from './frame';
import { embeddingSpace, IvtManifest, type IvtModel, loadIvtManifest, loadIvtModel, ModelError, type ReidManifest, type SharedTrunk } from './manifest';
import { OnnxModel } from './onnxModel';
import type { ProviderAttempt, ProviderPreference } from './providers';
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
  private constructor(readonly manifest: IvtManifest, private model: OnnxModel, readonly trunk?: SharedTrunk & { shape: number[] }) {}

  /**
   * The whole image encoder (pixels in), or with `trunkOf` (the ReID manifest whose trunk this model's
   * image.sharedTrunk names) only its head: feature maps of that network in (`embedTrunk`).
   */
  static async load(idOrDir: string | IvtManifest, pref: ProviderPreference = 'auto', trunkOf?: ReidManifest): Promise<ImageEncoder> {
    const m = typeof idOrDir === 'object' ? idOrDir : loadIvtManifest(idOrDir);
    if (!trunkOf) return new ImageEncoder(m, await OnnxModel.open(m, m.image.file, pref));
    const st = m.image.sharedTrunk;
    const out = st && trunkOf.id === st.model ? trunkOf.outputs[st.output] : undefined;
    if (!st || !out?.shape || out.shape.length !== 3) {
      throw new ModelError(`${path.join(m.dir, 'manifest.json')}: image.sharedTrunk does not name a [C, H, W] output of ${trunkOf.id}`);
    }
    return new ImageEncoder(m, await OnnxModel.open(m, st.head, pref), { ...st, shape: out.shape });
  }

  /** Whether a member reading `reid`'s trunk can run as its head alone (the trunk computed once, by the ReID stage). */
  static readsTrunkOf(m: IvtManifest, reid: ReidManifest): boolean {
    const st = m.image.sharedTrunk;
    return !!st && st.model === reid.id && !!reid.outputs[st.output]?.shape;
  }

  get dim(): number { return this.manifest.embeddingDim; }
  /** Execution provider that opened the model, and every provider tried. */
  get provider(): string { return this.model.provider; }
  get attempts(): ProviderAttempt[] { return this.model.attempts; }

  /** Embeds person crops (boxes of one or more frames) in one batch; returns one vector per crop. */
  async embedCrops(crops: { image: RgbImage; bbox: BBox }[]): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    if (this.trunk) throw new ModelError(`${this.manifest.id}: loaded as its image head, it embeds ${this.trunk.model} feature maps (embedTrunk), not crops`);
    // The IVT manifest gives mean/std in 0–1 units (RGB), hence cropToTensor rather than cropToInput.
    const { width, height, mean, std, input, output } = this.manifest.image;
    const size = 3 * width * height;
    const batch = new Float32Array(crops.length * size);
    crops.forEach((c, i) => cropToTensor(c.image, c.bbox, width, height, { mean, std }, batch, i * size));
    const out = await this.model.run({ [input]: new ort.Tensor('float32', batch, [crops.length, 3, height, width]) });
    const data = out[output].data as Float32Array;
    const d = this.dim;
    return crops.map((_, i) => l2normalise(data.slice(i * d, (i + 1) * d)));
  }

  /** The head alone on feature maps of the shared trunk (one [C·H·W] array per crop): the same vectors as embedCrops up to float rounding. */
  async embedTrunk(maps: readonly Float32Array[]): Promise<Float32Array[]> {
    if (!this.trunk) throw new ModelError(`${this.manifest.id}: loaded as the whole image encoder, not as its head`);
    if (maps.length === 0) return [];
    const [c, h, w] = this.trunk.shape;
    const per = c * h * w;
    const batch = new Float32Array(maps.length * per);
    maps.forEach((m, i) => {
      if (m.length !== per) throw new ModelError(`${this.manifest.id}: feature map of ${m.length} values, ${this.trunk!.model} "${this.trunk!.output}" is ${c}×${h}×${w}`);
      batch.set(m, i * per);
    });
    const out = await this.model.run({ [this.trunk.input]: new ort.Tensor('float32', batch, [maps.length, c, h, w]) });
    const data = this.model.output(out, this.manifest.image.output).data as Float32Array;
    const d = this.dim;
    return maps.map((_, i) => l2normalise(data.slice(i * d, (i + 1) * d)));
  }

  async close(): Promise<void> { await this.model.close(); }
}

/**
 * The image side of an IVT model as indexing runs it: one encoder, or each member of an ensemble
 * (vision/manifest.ts IvtModel) on the same crops, each member's vectors stored under its own id@version.
 * Loaded with `trunkOf` (a ReID manifest), members whose image.sharedTrunk names that network's trunk
 * run only their head, on the feature maps the ReID pass computes anyway (ReidEncoder.embedWithTrunk):
 * one trunk pass per crop for both, the same vectors up to float rounding for the same crop.
 */
export class IvtImageEncoders {
  private constructor(readonly model: IvtModel, readonly members: ImageEncoder[]) {}

  static async load(idOrDir?: string, pref: ProviderPreference = 'auto', trunkOf?: ReidManifest): Promise<IvtImageEncoders> {
    const model = loadIvtModel(idOrDir);
    const members: ImageEncoder[] = [];
    try {
      for (const m of model.members) members.push(await ImageEncoder.load(m, pref, trunkOf && ImageEncoder.readsTrunkOf(m, trunkOf) ? trunkOf : undefined));
    } catch (e) {
      for (const m of members) await m.close();
      throw e;
    }
    return new IvtImageEncoders(model, members);
  }

  /** id@version of the model (or ensemble) as a whole: part of a video's re-index key. */
  get space(): string { return this.model.space; }
  /** id@version of each member, in the order of `embedCrops`' vectors. */
  get memberSpaces(): string[] { return this.members.map((m) => embeddingSpace(m.manifest)); }
  get provider(): string { return this.members[0].provider; }
  /** The ReID output (key of its manifest's outputs) that members loaded as heads read; undefined when none is. */
  get trunkOutput(): string | undefined { return this.members.find((m) => m.trunk)?.trunk!.output; }

  /**
   * Each member's vectors of the crops: [member][crop]. Members loaded as heads read `maps` instead
   * (the ReID pass's trunk output of the same crops, in order), which they then need.
   */
  async embedCrops(crops: { image: RgbImage; bbox: BBox }[], maps?: readonly Float32Array[]): Promise<Float32Array[][]> {
    const out: Float32Array[][] = [];
    for (const m of this.members) {
      if (!m.trunk) { out.push(await m.embedCrops(crops)); continue; }
      if (!maps || maps.length !== crops.length) throw new ModelError(`${m.manifest.id}: runs on the ${m.trunk.model} trunk: needs its feature map of each of the ${crops.length} crops`);
      out.push(await m.embedTrunk(maps));
    }
    return out;
  }

  async close(): Promise<void> { for (const m of this.members) await m.close(); }
}

/** The IVT text side: one description -> one vector (named so as not to shadow the global TextEncoder). */
export class IvtTextEncoder {
  private constructor(readonly manifest: IvtManifest, private model: OnnxModel, private tokenizer: WordPieceTokenizer) {}

  static async load(idOrDir: string | IvtManifest, pref: ProviderPreference = 'auto'): Promise<IvtTextEncoder> {
    const m = typeof idOrDir === 'object' ? idOrDir : loadIvtManifest(idOrDir);
    const tokenizer = WordPieceTokenizer.fromFile(path.join(m.dir, m.tokenizer.vocab), m.tokenizer);
    // Text is one short sequence per query: the CPU is as fast as any GPU round trip for it.
    return new IvtTextEncoder(m, await OnnxModel.open(m, m.text.file, pref === 'auto' ? 'cpu' : pref), tokenizer);
  }

  get provider(): string { return this.model.provider; }

  async embed(text: string): Promise<TextEmbedding> {
    const { maxTokens, inputs, output } = this.manifest.text;
    const enc = this.tokenizer.encode(text, maxTokens);
    const ids = BigInt64Array.from(Array.from(enc.ids, (x) => BigInt(x)));
    const mask = BigInt64Array.from(Array.from(enc.mask, (x) => BigInt(x)));
    const out = await this.model.run({
      [inputs.ids]: new ort.Tensor('int64', ids, [1, ids.length]),
      [inputs.mask]: new ort.Tensor('int64', mask, [1, mask.length]),
    });
    return {
      vector: l2normalise(Float32Array.from(out[output].data as Float32Array)), unknownWords: enc.unknownWords,
      reading: { maxTokens, droppedTokens: enc.droppedTokens, noKnownWords: enc.knownTokens === 0 },
    };
  }

  async close(): Promise<void> { await this.model.close(); }
}
