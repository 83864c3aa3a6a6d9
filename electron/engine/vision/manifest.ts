// Model manifests (native-models/MANIFEST.md): the one place that says input sizes, normalisation,
// token limits and embedding size. Files are checked against their SHA-256 before use.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256FileSync } from '../video/hash';

export interface IvtManifest {
  kind: 'ivt';
  id: string;
  version: string;
  license?: string;
  embeddingDim: number;
  image: { file: string; input: string; output: string; height: number; width: number; mean: number[]; std: number[]; sharedTrunk?: SharedTrunk };
  text: { file: string; inputs: { ids: string; mask: string }; output: string; maxTokens: number };
  tokenizer: { type: 'wordpiece'; vocab: string; lowercase: boolean; cls: string; sep: string; pad: string; unk: string; mask: string };
  files: Record<string, string>;
  dir: string;
}

/**
 * An image encoder that is a ReID network's inner feature map + a head (IVT 2.0: person-reidentification-retail-0288
 * cut at layer 1126): `output` names that map among the ReID manifest's outputs, `head` is the encoder from
 * the map on (file of this model's folder, input tensor `input`). Written by native-models/ivt/ivt/image_head.py.
 */
export interface SharedTrunk { model: string; output: string; head: string; input: string }

/**
 * Several IVT models searched as one (search/ensemble.ts): each member embeds every crop and every
 * description in its own space; their standings are averaged with `weights`. The one declaration of
 * an ensemble's members and weights is its manifest.json; it holds no weights of its own.
 */
export interface IvtEnsembleManifest {
  kind: 'ivt-ensemble';
  id: string;
  version: string;
  /** Member model ids (native-models/<id>), in the order of `weights`. */
  members: string[];
  weights: number[];
  files: Record<string, string>;
  dir: string;
}

/** An IVT model as indexing and search use it: one model (one member, weight 1) or an ensemble. */
export interface IvtModel {
  id: string;
  version: string;
  /** id@version of the model asked for: what the re-index key and search results name. */
  space: string;
  /** What it was loaded by, as a case records it (vision/caseModel.ts): the id of an installed model, or its folder. */
  ref: string;
  ensemble: boolean;
  members: IvtManifest[];
  weights: number[];
}

export interface DetectorManifest {
  kind: 'detector';
  id: string;
  version: string;
  license?: string;
  format: 'nanodet' | 'yolov8';
  file: string;
  input: ImageInputSpec & { resize: 'stretch' | 'letterbox' };
  batch?: 'dynamic' | number;
  personClass: number;
  numClasses: number;
  scoreThreshold: number;
  nmsIoU: number;
  nanodet?: { strides: number[]; regMax: number; centerOffset?: number; scoresAreProbabilities?: boolean; outputs: [string, string][] };
  files: Record<string, string>;
  dir: string;
}

/** How an image network wants its input: `mean`/`std` are in pixel units (0–255) of the channel
 *  order given, e.g. mean 0 / std 1 for OpenVINO networks that take BGR 0–255 as they are. */
export interface ImageInputSpec {
  name: string;
  width: number;
  height: number;
  layout: 'NCHW' | 'NHWC';
  colorOrder: 'RGB' | 'BGR';
  mean: number[];
  std: number[];
}

interface OnnxManifestBase {
  id: string;
  version: string;
  license?: string;
  file: string;
  batch?: 'dynamic' | number;
  files: Record<string, string>;
  dir: string;
}

/** Person re-identification network: a crop in, one appearance vector out. */
export interface ReidManifest extends OnnxManifestBase {
  kind: 'reid';
  input: ImageInputSpec & { resize: 'stretch' };
  /** `trunk`: an inner feature map [C, H, W] the converter exposes for models that read it (IvtManifest.image.sharedTrunk). */
  outputs: { embedding: { name: string; dim: number } } & Record<string, { name: string; shape?: number[] }>;
}

/** Pedestrian-attribute network: probabilities per label plus garment colour points. */
export interface AttributesManifest extends OnnxManifestBase {
  kind: 'attributes';
  input: ImageInputSpec & { resize: 'stretch' };
  outputs: {
    attributes: { name: string; labels: string[] };
    topColorPoint: { name: string };
    bottomColorPoint: { name: string };
  };
}

export class ModelError extends Error {}

/** The folder holding package.json (works from src, dist and an unpacked asar). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'native-models'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new ModelError(`native-models/ not found above ${__dirname}`);
    dir = up;
  }
}

/** What embeddings are stored under: two versions of one model embed differently, so a new
 *  version must never be compared with vectors of the old one. */
export function embeddingSpace(m: Pick<IvtManifest, 'id' | 'version'>): string {
  return `${m.id}@${m.version}`;
}

export const DEFAULT_DETECTOR = 'nanodet-m-coco';
// New cases are indexed with the 1.2.0 + 2.0.0 ensemble (docs/search-quality.md, "Phase 6": held-out top 10
// 69 → 81 %, at +22–45 % indexing CPU); a case keeps the model it was indexed with.
export const DEFAULT_IVT = 'ivt-ensemble-v1';
export const DEFAULT_REID = 'person-reidentification-retail-0288';
export const DEFAULT_ATTRIBUTES = 'person-attributes-recognition-crossroad-0230';

const isFolder = (idOrDir: string): boolean => path.isAbsolute(idOrDir) || idOrDir.includes('/') || idOrDir.includes('\\');

export function modelDir(idOrDir: string): string {
  if (isFolder(idOrDir)) return path.resolve(idOrDir);
  return path.join(packageRoot(), 'native-models', idOrDir);
}

const verified = new Set<string>();

function readManifest<T extends { kind: string; files: Record<string, string> }>(dir: string, kind: string): T & { dir: string } {
  const file = path.join(dir, 'manifest.json');
  let m: T;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new ModelError(`${file}: cannot read model manifest (${(e as Error).message})`);
  }
  if (m.kind !== kind) throw new ModelError(`${file}: expected a "${kind}" model, found "${m.kind}"`);
  for (const [name, expected] of Object.entries(m.files ?? {})) {
    const f = path.join(dir, name);
    if (verified.has(`${f}:${expected}`)) continue;
    if (!fs.existsSync(f)) throw new ModelError(`${f}: model file missing`);
    const actual = sha256FileSync(f);
    if (actual !== expected) throw new ModelError(`${f}: checksum mismatch (manifest ${expected.slice(0, 12)}…, file ${actual.slice(0, 12)}…)`);
    verified.add(`${f}:${expected}`);
  }
  return { ...m, dir };
}

/** One IVT model's manifest (not an ensemble: loadIvtModel reads either). */
export function loadIvtManifest(idOrDir: string): IvtManifest {
  return readManifest<IvtManifest>(modelDir(idOrDir), 'ivt');
}

/** An IVT model or ensemble by id or folder; an ensemble's members are checked like any model. */
export function loadIvtModel(idOrDir: string = DEFAULT_IVT): IvtModel {
  const dir = modelDir(idOrDir);
  const ref = isFolder(idOrDir) ? dir : idOrDir;
  const file = path.join(dir, 'manifest.json');
  let kind: unknown;
  try { kind = (JSON.parse(fs.readFileSync(file, 'utf8')) as { kind?: unknown }).kind; } catch { kind = undefined; }
  if (kind !== 'ivt-ensemble') {
    const m = loadIvtManifest(idOrDir);
    return { id: m.id, version: m.version, space: embeddingSpace(m), ref, ensemble: false, members: [m], weights: [1] };
  }
  const e = readManifest<IvtEnsembleManifest>(dir, 'ivt-ensemble');
  const { members, weights } = e;
  if (!Array.isArray(members) || members.length < 2 || !Array.isArray(weights) || weights.length !== members.length || !weights.every((w) => typeof w === 'number' && w > 0)) {
    throw new ModelError(`${file}: an ensemble needs two or more members and one positive weight per member`);
  }
  return { id: e.id, version: e.version, space: embeddingSpace(e), ref, ensemble: true, members: members.map((id) => loadIvtManifest(id)), weights };
}

export function loadDetectorManifest(idOrDir: string = DEFAULT_DETECTOR): DetectorManifest {
  return readManifest<DetectorManifest>(modelDir(idOrDir), 'detector');
}

export function loadReidManifest(idOrDir: string = DEFAULT_REID): ReidManifest {
  return readManifest<ReidManifest>(modelDir(idOrDir), 'reid');
}

export function loadAttributesManifest(idOrDir: string = DEFAULT_ATTRIBUTES): AttributesManifest {
  return readManifest<AttributesManifest>(modelDir(idOrDir), 'attributes');
}
