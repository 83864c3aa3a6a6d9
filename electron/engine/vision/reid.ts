// Person re-identification: each person crop -> an L2-normalised appearance vector (256-d for the
// Open Model Zoo OmniScaleNet networks); the cosine of two vectors says how alike two people look,
// across frames and cameras. Input size, colour order and output name come from the manifest.
//
//   const reid = await ReidEncoder.load();                 // default person-reidentification-retail-0288
//   const vecs = await reid.embed([{ image: frame, bbox }]); // Float32Array(256) per crop
//   cosine(vecs[0], vecs[1])                                // same person: high (≈0.7–0.8 on vtest), different: low
//
// session.run blocks its thread: use it in the indexing worker, never on the Electron main thread.
import * as path from 'node:path';
import { l2normalise } from './ivt';
import { embeddingSpace, loadReidManifest, ModelError, type ReidManifest } from './manifest';
import { CROP_BATCH, type Crop, cropBatch, OnnxModel, validateImageInput } from './onnxModel';
import type { ProviderAttempt, ProviderPreference } from './providers';

export interface ReidOptions {
  provider?: ProviderPreference;
  /** Crops per inference run (default CROP_BATCH). */
  maxBatch?: number;
}

export class ReidEncoder {
  private constructor(readonly manifest: ReidManifest, private readonly model: OnnxModel, readonly batchSize: number) {}

  /** Loads (and checksum-verifies) a ReID network by model id or folder. */
  static async load(idOrDir?: string, options: ReidOptions = {}): Promise<ReidEncoder> {
    const m = loadReidManifest(idOrDir);
    const where = path.join(m.dir, 'manifest.json');
    validateImageInput(where, m.input);
    if (!(m.outputs?.embedding?.dim > 0)) throw new ModelError(`${where}: outputs.embedding.dim must be a positive number`);
    return new ReidEncoder(m, await OnnxModel.open(m, m.file, options.provider), Math.max(1, options.maxBatch ?? CROP_BATCH));
  }

  /** Vector length. */
  get dim(): number { return this.manifest.outputs.embedding.dim; }
  /** What stored vectors must be keyed by: vectors of two models or versions are not comparable. */
  get space(): string { return embeddingSpace(this.manifest); }
  get provider(): string { return this.model.provider; }
  get attempts(): ProviderAttempt[] { return this.model.attempts; }

  /** One L2-normalised vector per crop, in order; runs batchSize crops per inference. */
  async embed(crops: readonly Crop[]): Promise<Float32Array[]> {
    return (await this.embedWithTrunk(crops)).embeddings;
  }

  /**
   * The vectors and, with `trunk` (a key of the manifest's outputs, e.g. "trunk"), that inner feature map
   * of each crop from the same pass: what an image encoder built on this network's trunk reads
   * (IvtManifest.image.sharedTrunk), so the trunk runs once per crop for both.
   */
  embedWithTrunk(crops: readonly Crop[], trunk?: string): Promise<{ embeddings: Float32Array[]; trunk: Float32Array[] }> {
    const mapName = trunk === undefined ? undefined : this.trunkOutput(trunk).name;
    return this.model.inBatches(crops, this.batchSize, async (chunk) => {
      const { input, outputs } = this.manifest;
      const fetches = mapName ? [outputs.embedding.name, mapName] : [outputs.embedding.name];
      const out = await this.model.run({ [input.name]: cropBatch(chunk, input) }, fetches);
      const t = this.model.output(out, outputs.embedding.name);
      const data = t.data as Float32Array;
      const d = this.dim;
      if (data.length !== chunk.length * d) throw new ModelError(`${this.model.file}: embedding has ${data.length / chunk.length} values per crop, manifest says ${d}`);
      const maps = mapName ? this.model.output(out, mapName).data as Float32Array : undefined;
      const m = maps ? maps.length / chunk.length : 0;
      return chunk.map((_, i) => ({ embedding: l2normalise(data.slice(i * d, (i + 1) * d)), map: maps ? maps.slice(i * m, (i + 1) * m) : undefined }));
    }).then((rows) => ({ embeddings: rows.map((r) => r.embedding), trunk: mapName ? rows.map((r) => r.map!) : [] }));
  }

  /** The manifest's entry for inner output `key`, or a clear error naming the manifest. */
  trunkOutput(key: string): { name: string; shape?: number[] } {
    const o = this.manifest.outputs[key];
    if (!o || key === 'embedding') throw new ModelError(`${path.join(this.manifest.dir, 'manifest.json')}: ${this.manifest.id} has no inner output "${key}" (has ${Object.keys(this.manifest.outputs).join(', ')})`);
    return o;
  }

  async close(): Promise<void> { await this.model.close(); }
}

/** Cosine of two L2-normalised vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Mean ReID vector (unit length) of each sighting, from its detections' vectors. */
export function meanAppearances(vectors: Iterable<{ sighting: number; vector: Float32Array }>): Map<number, Float32Array> {
  const sums = new Map<number, Float32Array>();
  for (const r of vectors) {
    const v = r.vector;
    const sum = sums.get(r.sighting);
    if (!sum) sums.set(r.sighting, Float32Array.from(v));
    else for (let i = 0; i < v.length; i++) sum[i] += v[i];
  }
  for (const v of sums.values()) {
    const n = Math.hypot(...v) || 1;
    for (let i = 0; i < v.length; i++) v[i] /= n;
  }
  return sums;
}
