// Shape of manifest.json in an evidence bundle: what was exported, from which original, by whom,
// with which tool and models, and every file's SHA-256. Read back by verify.ts and the report.
import type { BBox } from '../contract';
import type { ModelMethod } from './method';
import type { OnePersonCheck } from '../search/onePerson';

export const MANIFEST_FORMAT = 'sightline-evidence-bundle';

export interface ManifestFile { path: string; sha256: string; size: number }

/** The bundle's signature files: manifest.sig is the Ed25519 signature of manifest.json's exact bytes. */
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';

/** Who signed: the public key is in the bundle; the fingerprint is what a recipient pins. */
export interface ManifestSigner { algorithm: 'Ed25519'; publicKey: typeof PUBLIC_KEY_FILE; signature: typeof SIGNATURE_FILE; fingerprint: string }

export interface ManifestItem {
  /** Exhibit reference for this item: <case number>-E001, -E002 ... in bundle order. */
  exhibit: string;
  bookmarkId: number;
  /** Who bookmarked it (from the case's audit log), or null when the log does not say. */
  bookmarkedBy: string | null;
  sightingId: number;
  note: string;
  query: string | null;
  score: number | null;
  createdAt: string;
  updatedAt: string;
  camera: string;
  /** Folder of this item's files, relative to the bundle. */
  folder: string;
  source: {
    videoId: number; path: string; fileName: string; sha256: string; sizeBytes: number;
    /** When the original was re-hashed and found identical to the import. */
    sha256VerifiedAt: string;
    codec: string; width: number; height: number; fps: number; durationS: number;
    trueStartTime: string | null; creationTime: string | null;
  };
  /** Seconds from the start of the original file. */
  sighting: { startS: number; endS: number; timeS: number; bbox: BBox; detections: number };
  wallClock: { basis: string | null; time: string | null; start: string | null; end: string | null };
  /** Detector + IVT ids that indexed this video (videos.index_models). */
  indexModels: string | null;
  /** The investigator's review: a bookmarked result is kept unless it was later rejected (with the reason). */
  review: { status: 'kept' | 'rejected'; reason: string | null };
  /** Whether the sighting holds one person throughout, by re-identification (search/onePerson.ts). */
  onePerson: OnePersonCheck;
  files: {
    originalClip: { path: string; container: string; requestedStartS: number; requestedEndS: number; actualStartS: number; actualEndS: number; streamCopy: true };
    annotatedClip: { path: string; startS: number; endS: number; codec: 'h264'; timestampBurnedIn: boolean; clock: string };
    snapshot: { path: string; timeS: number; width: number; height: number };
    snapshotAnnotated: { path: string; timeS: number };
    thumbnail: { path: string };
    /** The person enlarged for the report: cut from frame.png (region in source pixels), scaled up by `scale`. */
    personCrop: { path: string; region: BBox; scale: number };
    /** frame-annotated.png as JPEG, for the report. */
    frameJpeg: { path: string };
  };
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** 2: signed (signer, manifest.sig, public-key.pem). Version 1 bundles were unsigned. */
  formatVersion: 2;
  tool: { name: string; version: string };
  createdAt: string;
  user: string;
  case: { caseNumber: string; title: string; investigator: string; createdAt: string; caseFile: string };
  request: { bookmarks: 'all' | number[]; padS: number };
  models: { id: string; version: string }[];
  /** What the report's method section quotes: each model's card and its marked passages. */
  method: ModelMethod[];
  queries: string[];
  audit: { file: string; entries: number; headSeq: number; headHash: string; chainVerified: boolean; problems: string[] };
  items: ManifestItem[];
  refused: { bookmarkId: number; reason: string }[];
  signer: ManifestSigner;
  /** Every file of the bundle except manifest.json, manifest.sig and SHA256SUMS. */
  files: ManifestFile[];
}
