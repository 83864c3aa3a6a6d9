// Pedestrian attributes: each person crop -> probabilities of eight attributes and the points
// (in crop coordinates, 0–1) where the network reads the top and bottom garment colours. Labels,
// output names and the input spec come from the manifest.
//
//   const attrs = await AttributeModel.load();           // default person-attributes-recognition-crossroad-0230
//   const [a] = await attrs.predict([{ image: frame, bbox }]);
//   a.probabilities.longPants; a.topColorPoint          // {x, y}: sample a patch of the crop there, not one pixel
//
// session.run blocks its thread: use it in the indexing worker, never on the Electron main thread.
import * as path from 'node:path';
import { type AttributesManifest, loadAttributesManifest, ModelError } from './manifest';
import { CROP_BATCH, type Crop, cropBatch, OnnxModel, validateImageInput } from './onnxModel';
import type { ProviderAttempt, ProviderPreference } from './providers';

export const ATTRIBUTE_NAMES = ['isMale', 'hasBag', 'hasBackpack', 'hasHat', 'longSleeves', 'longPants', 'longHair', 'coatJacket'] as const;
export type AttributeName = (typeof ATTRIBUTE_NAMES)[number];

/** A point of the crop: x, y in 0–1 of the crop's width and height (0, 0 = top-left). */
export interface CropPoint { x: number; y: number }

export interface PersonAttributes {
  probabilities: Record<AttributeName, number>;
  topColorPoint: CropPoint;
  bottomColorPoint: CropPoint;
}

export interface AttributeOptions {
  provider?: ProviderPreference;
  /** Crops per inference run (default CROP_BATCH). */
  maxBatch?: number;
}

export class AttributeModel {
  private constructor(readonly manifest: AttributesManifest, private readonly model: OnnxModel, readonly batchSize: number) {}

  /** Loads (and checksum-verifies) an attribute network by model id or folder. */
  static async load(idOrDir?: string, options: AttributeOptions = {}): Promise<AttributeModel> {
    const m = loadAttributesManifest(idOrDir);
    const where = path.join(m.dir, 'manifest.json');
    validateImageInput(where, m.input);
    const labels = m.outputs?.attributes?.labels ?? [];
    // The labels are the contract with the rest of the app: a network with other labels needs code, not just a manifest.
    if (labels.length !== ATTRIBUTE_NAMES.length || labels.some((l, i) => l !== ATTRIBUTE_NAMES[i])) {
      throw new ModelError(`${where}: outputs.attributes.labels must be ${ATTRIBUTE_NAMES.join(', ')}`);
    }
    return new AttributeModel(m, await OnnxModel.open(m, m.file, options.provider), Math.max(1, options.maxBatch ?? CROP_BATCH));
  }

  get provider(): string { return this.model.provider; }
  get attempts(): ProviderAttempt[] { return this.model.attempts; }

  /** One result per crop, in order; runs batchSize crops per inference. */
  predict(crops: readonly Crop[]): Promise<PersonAttributes[]> {
    return this.model.inBatches(crops, this.batchSize, async (chunk) => {
      const { input, outputs } = this.manifest;
      const out = await this.model.run({ [input.name]: cropBatch(chunk, input) });
      const probs = this.model.output(out, outputs.attributes.name).data as Float32Array;
      const top = this.model.output(out, outputs.topColorPoint.name).data as Float32Array;
      const bottom = this.model.output(out, outputs.bottomColorPoint.name).data as Float32Array;
      const k = ATTRIBUTE_NAMES.length;
      if (probs.length !== chunk.length * k || top.length !== chunk.length * 2 || bottom.length !== chunk.length * 2) {
        throw new ModelError(`${this.model.file}: unexpected output sizes (${probs.length}, ${top.length}, ${bottom.length}) for ${chunk.length} crops`);
      }
      return chunk.map((_, i) => ({
        probabilities: Object.fromEntries(ATTRIBUTE_NAMES.map((n, j) => [n, probs[i * k + j]])) as Record<AttributeName, number>,
        topColorPoint: { x: top[i * 2], y: top[i * 2 + 1] },
        bottomColorPoint: { x: bottom[i * 2], y: bottom[i * 2 + 1] },
      }));
    });
  }

  async close(): Promise<void> { await this.model.close(); }
}
