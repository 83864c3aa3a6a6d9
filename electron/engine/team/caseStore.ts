// The case-store seam. Two interfaces, because only one half makes sense for both backends:
// - CaseStore: the read, search and audit side of a case: videos, detections with their vectors (keyed
//   by model id@version), sightings, the hash-chained audit log. The SQLite case file
//   (case/sqliteStore.ts) and a PostgreSQL team case (team/pgStore.ts) both implement it, and one
//   contract test (test/integration/case-store-contract.test.ts) runs the same assertions on both.
// - ChunkStore: the queue side of distributed indexing (chunk claims, chunk writes, stitching). Only
//   PostgreSQL has it: a SQLite case has one writer (case/writerLock.ts) indexing whole videos in order
//   (indexing/store.ts writes batches and resumes from a point), so chunks and claims mean nothing there.
import type { AuditEntry, BBox } from '../contract';
import type { AuditVerdict } from '../case/audit';
import type { CropEvidence } from '../vision/evidence';

/** A video as either case store reports it. */
export interface CaseVideo {
  id: number; path: string; sha256: string; sizeBytes: number; durationS: number; width: number; height: number;
  sampleFps: number; status: string; indexModels: string | null;
}

/** A video of a team case as workers see it: with the chunk length its queue jobs cover. */
export interface TeamVideo extends CaseVideo { chunkS: number }

/**
 * One detection a chunk found, with its vectors; `rank` is its place in the detector's output for that
 * frame. `embeddings`: its IVT image vectors, one per member of the IVT model (ChunkWrite.embeddingModels).
 */
export interface ChunkDetection {
  t: number; rank: number; bbox: BBox; score: number;
  embeddings: Float32Array[]; reid: Float32Array; evidence?: CropEvidence;
}

export interface ChunkWrite {
  videoId: number; idx: number; modelKey: string;
  /** id@version of each IVT image encoder (one; an ensemble's members), the ReID network and the attribute network. */
  embeddingModels: string[]; reidModel: string; evidenceModel?: string;
  detections: ChunkDetection[]; frames: number; cpuS: number; worker: string;
}

/**
 * A stored detection as the stitch pass replays it. `rank` is its place among the frame's stored
 * detections (a SQLite case keeps no detector rank: it is the insertion order within the frame).
 */
export interface StoredDetection { id: number; t: number; rank: number; bbox: BBox; score: number; reid: Float32Array }

/** A sighting as stored (either backend). */
export interface StoredSighting { id: number; startS: number; endS: number; best: { t: number; bbox: BBox }; detectionCount: number }

/** One IVT image vector of a sighting's detection, with the detection's evidence (JSON) when stored for the given model. */
export interface SightingVector { sighting: number; t: number; vector: Float32Array; evidence: string | null }

/** A sighting as the stitch pass writes it. */
export interface StitchedSighting {
  detectionIds: number[]; startS: number; endS: number;
  best: { t: number; bbox: BBox; quality: number };
  /** PNG of the best detection's crop (indexing/thumbnail.ts), when the stitch pass could read the footage. */
  thumbnail?: Buffer;
}

export interface ChunkStatus { videoId: number; idx: number; startS: number; endS: number; status: string; attempts: number; worker: string | null; startedAt: string | null; finishedAt: string | null; frames: number; cpuS: number; error: string | null }

/** The read, search and audit side of a case: both backends. */
export interface CaseStore {
  video(id: number): Promise<CaseVideo>;
  videos(): Promise<CaseVideo[]>;
  /** Every detection of a video in the order a single-process run saw them (time, then rank), with its ReID vector of `reidModel`. */
  videoDetections(videoId: number, reidModel: string): Promise<StoredDetection[]>;
  /** A video's sightings in time order. */
  sightings(videoId: number): Promise<StoredSighting[]>;
  /**
   * The IVT vectors of `embeddingModel` of a video's detections that belong to a sighting (sighting,
   * then time order), each with its evidence of `evidenceModel`: what search loads into memory.
   */
  sightingVectors(videoId: number, embeddingModel: string, evidenceModel: string | null): Promise<SightingVector[]>;
  /** Appends one entry to the hash-chained audit log, in its own transaction. */
  appendAudit(action: string, details: Record<string, unknown>): Promise<AuditEntry>;
  /** Recomputes the chain (and the head kept beside it): edits, deletions and reorders are problems. */
  verifyAudit(): Promise<AuditVerdict>;
}

/** The queue side of distributed indexing: PostgreSQL only (see the top of this file). */
export interface ChunkStore extends CaseStore {
  video(id: number): Promise<TeamVideo>;
  /**
   * Marks a chunk running (attempts + 1); false when it is already done (a duplicate delivery).
   * `ivtModel`: the IVT model it is indexed with, recorded as the case's when the case has none yet.
   */
  startChunk(videoId: number, idx: number, worker: string, modelKey: string, ivtModel?: string): Promise<boolean>;
  /** Replaces the chunk's rows in one transaction and marks it done; true when this was the video's last chunk to finish. */
  writeChunk(w: ChunkWrite): Promise<boolean>;
  /** Every chunk done but the video not stitched (the stitching worker died after the last chunk's write). */
  needsStitch(videoId: number): Promise<boolean>;
  failChunk(videoId: number, idx: number, error: string): Promise<void>;
  /** Replaces the video's sightings in one transaction and marks the video done. */
  writeSightings(videoId: number, sightings: StitchedSighting[]): Promise<void>;
  chunkStatus(): Promise<ChunkStatus[]>;
}
