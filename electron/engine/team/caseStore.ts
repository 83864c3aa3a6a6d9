// The case-store seam of distributed indexing: what a chunk worker, the stitch pass, status and search
// need from a case, whatever holds it. team/pgStore.ts implements it on PostgreSQL.
import type { AuditEntry, BBox } from '../contract';
import type { AuditVerdict } from '../case/audit';
import type { CropEvidence } from '../vision/evidence';

/** A video of a team case as workers see it. */
export interface TeamVideo {
  id: number; path: string; sha256: string; sizeBytes: number; durationS: number; width: number; height: number;
  sampleFps: number; chunkS: number; status: string; indexModels: string | null;
}

/** One detection a chunk found, with its vectors; `rank` is its place in the detector's output for that frame. */
export interface ChunkDetection {
  t: number; rank: number; bbox: BBox; score: number;
  embedding: Float32Array; reid: Float32Array; evidence?: CropEvidence;
}

export interface ChunkWrite {
  videoId: number; idx: number; modelKey: string;
  /** id@version of the IVT image encoder, the ReID network and the attribute network. */
  embeddingModel: string; reidModel: string; evidenceModel?: string;
  detections: ChunkDetection[]; frames: number; cpuS: number; worker: string;
}

/** A stored detection as the stitch pass replays it. */
export interface StoredDetection { id: number; t: number; rank: number; bbox: BBox; score: number; reid: Float32Array }

/** A sighting as the stitch pass writes it. */
export interface StitchedSighting {
  detectionIds: number[]; startS: number; endS: number;
  best: { t: number; bbox: BBox; quality: number };
}

export interface ChunkStatus { videoId: number; idx: number; startS: number; endS: number; status: string; attempts: number; worker: string | null; startedAt: string | null; finishedAt: string | null; frames: number; cpuS: number; error: string | null }

export interface CaseStore {
  video(id: number): Promise<TeamVideo>;
  /** Marks a chunk running (attempts + 1); false when it is already done (a duplicate delivery). */
  startChunk(videoId: number, idx: number, worker: string, modelKey: string): Promise<boolean>;
  /** Replaces the chunk's rows in one transaction and marks it done; true when this was the video's last chunk to finish. */
  writeChunk(w: ChunkWrite): Promise<boolean>;
  /** Every chunk done but the video not stitched (the stitching worker died after the last chunk's write). */
  needsStitch(videoId: number): Promise<boolean>;
  failChunk(videoId: number, idx: number, error: string): Promise<void>;
  /** Every detection of a video in the order a single-process run saw them (time, then detector rank). */
  videoDetections(videoId: number, reidModel: string): Promise<StoredDetection[]>;
  /** Replaces the video's sightings in one transaction and marks the video done. */
  writeSightings(videoId: number, sightings: StitchedSighting[]): Promise<void>;
  appendAudit(action: string, details: Record<string, unknown>): Promise<AuditEntry>;
  verifyAudit(): Promise<AuditVerdict>;
  chunkStatus(): Promise<ChunkStatus[]>;
}
