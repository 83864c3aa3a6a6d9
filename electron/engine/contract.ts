// The one contract shared by the engine, the CLI, Electron main/preload and the renderer.
// Types only (plus the list of API methods), so the renderer can import it without pulling in Node.

/** [x, y, width, height] in source-video pixels (after rotation is applied). */
export type BBox = [number, number, number, number];

export interface CaseInfo {
  /** Absolute path of the SQLite case file. */
  path: string;
  /** Folder where exports and thumbnails of this case live (beside the case file). */
  evidenceDir: string;
  caseNumber: string;
  investigator: string;
  title: string;
  createdAt: string;
}

export interface CreateCaseRequest {
  path: string;
  caseNumber: string;
  investigator: string;
  title?: string;
}

export type VideoStatus = 'queued' | 'indexing' | 'done' | 'failed';

/** What ffprobe tells of a video file (video/probe.ts), as stored in the case. */
export interface VideoMetadata {
  /** Seconds; 0 when the container does not say. */
  durationS: number;
  /** Average frame rate (avg_frame_rate, else r_frame_rate); 0 when unknown. */
  fps: number;
  /** Display size: after rotation, what a player shows and what the sampler's frames measure. */
  width: number;
  height: number;
  codec: string;
  /** Clockwise degrees a player turns the stored picture: 0, 90, 180 or 270. */
  rotation: number;
  /** Container/stream creation_time, ISO 8601, or null. */
  creationTime: string | null;
}

export interface VideoInfo extends VideoMetadata {
  id: number;
  /** Absolute path of the original file (never modified). */
  path: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  mtimeMs: number;
  camera: string;
  /** True wall-clock time of the first frame as set by the investigator (ISO 8601), or null. */
  trueStartTime: string | null;
  status: VideoStatus;
  /** 0..1 */
  progress: number;
  error: string | null;
  importedAt: string;
  /** Sampling rate used / to use for indexing (frames per second). */
  sampleFps: number;
  sightingCount: number;
}

export interface ImportRequest {
  /** Files and/or folders (folders are walked recursively). */
  paths: string[];
  /** Frames per second to sample (default 2). */
  fps?: number;
}

export interface ImportFailure {
  path: string;
  reason: string;
}

export interface ImportReport {
  indexed: number[];
  /** Files that were already in the case (same SHA-256): the id of the existing video. */
  duplicates: { path: string; videoId: number }[];
  failed: ImportFailure[];
}

export interface Sighting {
  id: number;
  videoId: number;
  start: number;
  end: number;
  /** Representative frame: time (s from the start of the file) and bbox. */
  time: number;
  bbox: BBox;
  detectionCount: number;
  /** media:// URL of the thumbnail (JPEG) of the representative crop. */
  thumbnail: string;
}

export interface SearchRequest {
  text: string;
  top?: number;
  videoIds?: number[];
  cameras?: string[];
  /** Time range in seconds from the start of each file. */
  from?: number;
  to?: number;
  minScore?: number;
}

export interface SimilarRequest {
  sightingId: number;
  top?: number;
  videoIds?: number[];
  cameras?: string[];
  minScore?: number;
}

export interface SearchHit {
  sighting: number;
  videoId: number;
  /** Absolute path of the source file. */
  video: string;
  camera: string;
  /** Representative frame time, seconds from the start of the file. */
  time: number;
  bbox: BBox;
  score: number;
  start: number;
  end: number;
  /** Corrected wall-clock time of `time` (ISO 8601) when the video has a true start time or creation time. */
  wallClock: string | null;
  thumbnail: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Words of the description that the model's vocabulary does not know. */
  unknownWords: string[];
  modelId: string;
  tookMs: number;
}

export interface Bookmark {
  id: number;
  sightingId: number;
  note: string;
  createdAt: string;
  updatedAt: string;
  /** Search text that led to it, if any. */
  query: string | null;
  score: number | null;
  hit: SearchHit;
}

export interface AddBookmarkRequest {
  sightingId: number;
  note?: string;
  query?: string;
  score?: number;
}

export interface ExportRequest {
  outDir: string;
  /** 'all' or the ids of bookmarks to export. */
  bookmarks: 'all' | number[];
  /** Seconds of context before and after each sighting (default 5). */
  padS?: number;
}

export interface ExportReport {
  bundleDir: string;
  items: number;
  refused: { bookmarkId: number; reason: string }[];
}

export interface Settings {
  /** Explicit ffmpeg path ('' = automatic: ffmpeg-static, then PATH). */
  ffmpegPath: string;
  ffprobePath: string;
  sampleFps: number;
  /** 'auto' picks the best available execution provider. */
  executionProvider: 'auto' | 'cuda' | 'dml' | 'coreml' | 'cpu';
}

export interface ModelInfo {
  id: string;
  version: string;
  kind: 'ivt' | 'detector';
  provider: string;
}

export interface EngineStatus {
  case: CaseInfo | null;
  videos: { total: number; done: number; failed: number; queued: number; indexing: number };
  failures: ImportFailure[];
  models: ModelInfo[];
  /** Execution provider actually in use (e.g. 'cuda', 'cpu'). */
  executionProvider: string;
  ffmpeg: { ffmpeg: string; ffprobe: string; source: 'setting' | 'ffmpeg-static' | 'PATH' };
  embeddings: number;
  sightings: number;
}

/** Progress of long work; the CLI progress bar and the UI both consume this one event type. */
export interface ProgressEvent {
  kind: 'import' | 'index' | 'export';
  videoId: number | null;
  path: string;
  phase: 'hashing' | 'probing' | 'queued' | 'indexing' | 'done' | 'failed' | 'writing';
  /** 0..1 for this item. */
  fraction: number;
  /** Seconds left, estimated; null until known. */
  etaS: number | null;
  message?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  user: string;
  action: string;
  details: Record<string, unknown>;
  hash: string;
}

/** Everything the UI can ask of the engine. Every method is async and every payload is plain JSON. */
export interface SightlineApi {
  createCase(req: CreateCaseRequest): Promise<CaseInfo>;
  openCase(path: string): Promise<CaseInfo>;
  getCase(): Promise<CaseInfo | null>;
  importPaths(req: ImportRequest): Promise<ImportReport>;
  listVideos(): Promise<VideoInfo[]>;
  setCamera(videoId: number, camera: string): Promise<VideoInfo>;
  /** trueStartTime: ISO 8601 wall-clock time of the first frame, or null to clear. */
  setClockCorrection(videoId: number, trueStartTime: string | null): Promise<VideoInfo>;
  search(req: SearchRequest): Promise<SearchResult>;
  searchSimilar(req: SimilarRequest): Promise<SearchResult>;
  getSighting(id: number): Promise<Sighting>;
  addBookmark(req: AddBookmarkRequest): Promise<Bookmark>;
  updateBookmark(id: number, note: string): Promise<Bookmark>;
  removeBookmark(id: number): Promise<void>;
  listBookmarks(): Promise<Bookmark[]>;
  exportEvidence(req: ExportRequest): Promise<ExportReport>;
  getSettings(): Promise<Settings>;
  setSettings(patch: Partial<Settings>): Promise<Settings>;
  status(): Promise<EngineStatus>;
  /** Subscribe to progress; returns an unsubscribe function. */
  onProgress(listener: (e: ProgressEvent) => void): () => void;
}

/** Names of the request/response methods (everything but onProgress) — the IPC channel list. */
export const API_METHODS = [
  'createCase', 'openCase', 'getCase', 'importPaths', 'listVideos', 'setCamera', 'setClockCorrection',
  'search', 'searchSimilar', 'getSighting', 'addBookmark', 'updateBookmark', 'removeBookmark',
  'listBookmarks', 'exportEvidence', 'getSettings', 'setSettings', 'status',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** URL scheme of the custom protocol serving imported videos and thumbnails. */
export const MEDIA_SCHEME = 'media';
