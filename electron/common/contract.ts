// The one contract shared by the engine, the CLI, Electron main/preload, the bridge and the renderer,
// declared once with zod: each API method's arguments and result, the domain shapes, the settings.
// TypeScript types are inferred from the schemas; IPC/bridge validation (gateway/validate.ts), the
// settings store, the CLI's flag checks and the settings page's options are derived from them.
// Node-free (the renderer bundle may import it).
import { z } from 'zod';
import { LIMITS } from './limits';

export { LIMITS } from './limits';

// No code generation: the UI's CSP forbids eval (zod's JIT would try `new Function`), and payloads are small.
z.config({ jitless: true });

/** URL scheme of the custom protocol serving imported videos and thumbnails. */
export const MEDIA_SCHEME = 'media';

// ── building blocks ──────────────────────────────────────────────────────────────────────────────

const isWindows = (globalThis as { process?: { platform?: string } }).process?.platform === 'win32';
/** Absolute on this platform: POSIX "/…", or on Windows "C:\…" (UNC and device paths are refused elsewhere). */
export function isAbsolutePath(p: string): boolean {
  return isWindows ? /^[A-Za-z]:[\\/]|^[\\/]{2}/.test(p) : p.startsWith('/');
}

const text = (max: number, opts: { nonEmpty?: boolean } = {}) => {
  let s = z.string({ error: 'expected a string' })
    .max(max, { error: `longer than ${max} characters` })
    .refine((v) => !v.includes('\0'), { error: 'contains a NUL character' });
  if (opts.nonEmpty) s = s.refine((v) => v.trim() !== '', { error: 'must not be empty' });
  return s;
};
const absPath = text(LIMITS.pathChars, { nonEmpty: true }).refine(isAbsolutePath, { error: 'expected an absolute path' });
const finite = z.number({ error: 'expected a finite number' }).refine(Number.isFinite, { error: 'expected a finite number' });
const between = (min: number, max: number) => finite.refine((v) => v >= min && v <= max, { error: `must be between ${min} and ${max}` });
export const idSchema = z.number({ error: 'expected a positive integer id' })
  .refine((v) => Number.isSafeInteger(v) && v > 0, { error: 'expected a positive integer id' });
const idList = z.array(idSchema, { error: 'expected an array' }).max(LIMITS.idList, { error: `more than ${LIMITS.idList} items` });
const cameraName = text(LIMITS.shortText);
const cameraList = z.array(cameraName, { error: 'expected an array' }).max(LIMITS.cameraList, { error: `more than ${LIMITS.cameraList} items` });
export const scoreSchema = between(LIMITS.minScore, LIMITS.maxScore);
export const topSchema = between(1, LIMITS.top).refine(Number.isInteger, { error: 'expected an integer' });
export const timeSchema = between(0, LIMITS.maxTimeS);
export const fpsSchema = between(LIMITS.minFps, LIMITS.maxFps);
/** Cores an import may use: a whole number, 0 = every core (indexing/budget.ts shares them out). */
export const coresSchema = z.number({ error: 'expected a number' }).int({ error: 'expected a whole number' }).min(0, { error: 'must be ≥ 0 (0 = every core)' }).max(LIMITS.maxCores, { error: `must be ≤ ${LIMITS.maxCores}` });
export const padSchema = between(0, LIMITS.maxPadS);
/** ISO 8601 date-time with an explicit offset or Z — a bare local time would be ambiguous evidence. */
export const isoTime = text(64, { nonEmpty: true }).refine(
  (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  { error: 'expected an ISO 8601 date-time with a time zone (e.g. 2024-05-01T14:03:00Z)' },
);
const obj = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: 'expected an object' });

// ── domain shapes ────────────────────────────────────────────────────────────────────────────────

/** [x, y, width, height] in source-video pixels (after rotation is applied). */
export const BBoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const CaseInfoSchema = z.object({
  /** Absolute path of the SQLite case file. */
  path: z.string(),
  /** Folder where exports and thumbnails of this case live (beside the case file). */
  evidenceDir: z.string(),
  caseNumber: z.string(),
  investigator: z.string(),
  title: z.string(),
  createdAt: z.string(),
  /** Set when the open case is a team case on a PostgreSQL server (engine/team/): the server's redacted address. */
  team: z.object({ server: z.string() }).optional(),
});

/** A team case's server: a postgres:// connection string typed at the prompt (never stored, never echoed in errors). */
export const OpenTeamCaseRequestSchema = obj({
  server: text(LIMITS.connectionString, { nonEmpty: true }).refine((v) => /^postgres(ql)?:\/\//i.test(v.trim()), { error: 'expected a postgres:// connection string' }),
});

export const CreateCaseRequestSchema = obj({
  path: absPath,
  caseNumber: text(LIMITS.shortText, { nonEmpty: true }),
  investigator: text(LIMITS.shortText, { nonEmpty: true }),
  title: text(LIMITS.searchText).optional(),
});

/** Changes to the open case's identity (audited); fields left out stay as they are. */
export const CaseDetailsPatchSchema = obj({
  caseNumber: text(LIMITS.shortText).optional(),
  /** The investigator acting on the case: every later audit entry carries this name. */
  investigator: text(LIMITS.shortText, { nonEmpty: true }).optional(),
  title: text(LIMITS.searchText).optional(),
});

/** This installation's evidence-signing key (Ed25519): what a recipient compares a bundle's signer with. */
export const SigningKeyInfoSchema = z.object({
  algorithm: z.literal('Ed25519'),
  /** SHA-256 of the raw 32-byte public key, hex in groups of four. */
  fingerprint: z.string(),
  publicKeyPem: z.string(),
  /** Where the private key is kept (owner-only permissions). */
  privateKeyFile: z.string(),
});

export const VIDEO_STATUSES = ['queued', 'indexing', 'done', 'failed'] as const;

/** What ffprobe tells of a video file (video/probe.ts), as stored in the case. */
export const VideoMetadataSchema = z.object({
  /** Seconds; 0 when the container does not say. */
  durationS: z.number(),
  /** Average frame rate (avg_frame_rate, else r_frame_rate); 0 when unknown. */
  fps: z.number(),
  /** Display size: after rotation, what a player shows and what the sampler's frames measure. */
  width: z.number(),
  height: z.number(),
  codec: z.string(),
  /** Clockwise degrees a player turns the stored picture: 0, 90, 180 or 270. */
  rotation: z.number(),
  /** Container/stream creation_time, ISO 8601, or null. */
  creationTime: z.string().nullable(),
});

/**
 * How the player plays a video: the original when Chromium can ('native'), else a proxy (H.264/AAC
 * fast-start MP4, same timestamps — see video/proxy.ts) that is 'pending' (not started), 'making',
 * 'ready' or 'failed'. Until a proxy is ready the player tries the original and says so.
 */
export const PLAYBACK_STATES = ['native', 'pending', 'making', 'ready', 'failed'] as const;
export const PlaybackSchema = z.object({
  state: z.enum(PLAYBACK_STATES),
  /** Absolute path of the file the player plays now (the proxy when ready, else the original). */
  file: z.string(),
  /** media:// URL of that file. */
  url: z.string(),
  /** Why a proxy is needed ("avi container, msmpeg4v2 codec"); '' when native. */
  reason: z.string(),
  proxyPath: z.string().nullable(),
  proxySizeBytes: z.number().nullable(),
  error: z.string().nullable(),
});

export const VideoInfoSchema = VideoMetadataSchema.extend({
  id: z.number(),
  /** Absolute path of the original file (never modified). */
  path: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  mtimeMs: z.number(),
  camera: z.string(),
  /** True wall-clock time of the first frame as set by the investigator (ISO 8601), or null. */
  trueStartTime: z.string().nullable(),
  status: z.enum(VIDEO_STATUSES),
  /** 0..1 */
  progress: z.number(),
  error: z.string().nullable(),
  importedAt: z.string(),
  /** Sampling rate used / to use for indexing (frames per second). */
  sampleFps: z.number(),
  sightingCount: z.number(),
  playback: PlaybackSchema,
});

export const ImportRequestSchema = obj({
  /** Files and/or folders (folders are walked recursively). */
  paths: z.array(absPath, { error: 'expected an array' }).min(1, { error: 'must not be empty' }).max(LIMITS.importPaths, { error: `more than ${LIMITS.importPaths} items` }),
  /** Frames per second to sample (default: the setting). */
  fps: fpsSchema.optional(),
  /** Cores to use (default: the setting). */
  cores: coresSchema.optional(),
});

export const ImportFailureSchema = z.object({ path: z.string(), reason: z.string() });

export const ImportReportSchema = z.object({
  indexed: z.array(z.number()),
  /** Files that were already in the case (same SHA-256): the id of the existing video. */
  duplicates: z.array(z.object({ path: z.string(), videoId: z.number() })),
  failed: z.array(ImportFailureSchema),
});

export const SightingSchema = z.object({
  id: z.number(),
  videoId: z.number(),
  start: z.number(),
  end: z.number(),
  /** Representative frame: time (s from the start of the file) and bbox. */
  time: z.number(),
  bbox: BBoxSchema,
  detectionCount: z.number(),
  /** media:// URL of the thumbnail of the representative crop. */
  thumbnail: z.string(),
});

/** One detection of a sighting: the player and the boxed clip interpolate the box between these. */
export const TrackPointSchema = z.object({ t: z.number(), bbox: BBoxSchema });
export const TrackSchema = z.object({ sighting: z.number(), videoId: z.number(), points: z.array(TrackPointSchema) });

/** Why the investigator set a result aside (audited; hidden from later searches unless asked for). */
export const REJECT_REASONS = ['not a person', 'not relevant'] as const;
export const RejectReasonSchema = z.enum(REJECT_REASONS, { error: `expected one of ${REJECT_REASONS.join(', ')}` });

export const offsetSchema = between(0, LIMITS.maxOffset).refine(Number.isInteger, { error: 'expected an integer' });

const filters = {
  top: topSchema.optional(),
  /** Paging: skip this many results (see SearchResult.nextOffset). */
  offset: offsetSchema.optional(),
  videoIds: idList.optional(),
  cameras: cameraList.optional(),
  minScore: scoreSchema.optional(),
  /** Also return results the investigator rejected (each marked with its reason). */
  includeRejected: z.boolean({ error: 'expected true or false' }).optional(),
};

/** Colour words of the attribute filters: the base colours the evidence names (engine/vision/colour.ts BASE_COLOURS; a unit test keeps the two equal). */
export const FILTER_COLOURS = ['black', 'white', 'grey', 'red', 'orange', 'yellow', 'green', 'blue', 'navy', 'purple', 'pink', 'brown', 'beige'] as const;
const filterColour = z.enum(FILTER_COLOURS, { error: `expected one of ${FILTER_COLOURS.join(', ')}` });

/** Attribute filters an investigator clicks (each keeps only sightings whose evidence agrees). */
export const AttributeFilterSchema = obj({
  gender: z.enum(['male', 'female'], { error: 'expected "male" or "female"' }).optional(),
  upperColour: filterColour.optional(),
  lowerColour: filterColour.optional(),
  bag: z.boolean({ error: 'expected true or false' }).optional(),
  hat: z.boolean({ error: 'expected true or false' }).optional(),
});

export const SearchRequestSchema = obj({
  text: text(LIMITS.searchText, { nonEmpty: true }),
  ...filters,
  attributes: AttributeFilterSchema.optional(),
  /** Time range in seconds from the start of each file. */
  from: timeSchema.optional(),
  to: timeSchema.optional(),
  /** Wall-clock range (ISO 8601 with zone): only videos whose clock is known (correction or creation_time) can match. */
  fromWall: isoTime.optional(),
  toWall: isoTime.optional(),
}).refine((r) => r.from === undefined || r.to === undefined || r.from <= r.to, { error: '"from" is after "to"' })
  .refine((r) => r.fromWall === undefined || r.toWall === undefined || Date.parse(r.fromWall) <= Date.parse(r.toWall), { error: '"fromWall" is after "toWall"' });

export const SimilarRequestSchema = obj({ sightingId: idSchema, ...filters });

export const SearchHitSchema = z.object({
  sighting: z.number(),
  videoId: z.number(),
  /** Absolute path of the source file. */
  video: z.string(),
  camera: z.string(),
  /** Representative frame time, seconds from the start of the file. */
  time: z.number(),
  bbox: BBoxSchema,
  score: z.number(),
  start: z.number(),
  end: z.number(),
  /** Corrected wall-clock time of `time` (ISO 8601) when the video has a true start time or creation time. */
  wallClock: z.string().nullable(),
  thumbnail: z.string(),
  /** Set when the investigator rejected this result. */
  rejected: RejectReasonSchema.nullable(),
  /** Description searches: the IVT text–image similarity alone (`score` is the fused score, in the same units). */
  similarity: z.number().optional(),
  /** How sure the search is that this is the described person (search/fusion.ts). */
  confidence: z.enum(['strong', 'possible', 'weak']).optional(),
  /** What the description said that the evidence could check, and whether it agreed ("red top" ✓, "backpack" ✗). */
  chips: z.array(z.object({ label: z.string(), ok: z.boolean() })).optional(),
});

/** What the search made of a description (engine/query/interpret.ts), shown, never applied silently. */
export const InterpretationSchema = z.object({
  summary: z.string(),
  mapped: z.array(z.object({ from: z.string(), to: z.string() })),
  notUnderstood: z.array(z.string()),
  /** The text the IVT encoder read. */
  ivtText: z.string(),
  /** Parsed constraints (engine/query/parse.ts Constraints). */
  constraints: z.record(z.string(), z.unknown()),
});

/** How the text encoder read a description. */
export const QueryReadingSchema = z.object({
  /** The encoder's token limit (from the IVT manifest), [CLS] and [SEP] included. */
  maxTokens: z.number(),
  /** Word-piece tokens beyond the limit, dropped (0: the whole description was read). */
  droppedTokens: z.number(),
  /** True when no word of the description is in the vocabulary: the ranking then means nothing. */
  noKnownWords: z.boolean(),
});

export const SearchResultSchema = z.object({
  hits: z.array(SearchHitSchema),
  /** Words of the description that the model's vocabulary does not know. */
  unknownWords: z.array(z.string()),
  /** How the description was read (absent for "similar to" searches). */
  query: QueryReadingSchema.optional(),
  /** Description searches: how the description was understood. */
  interpretation: InterpretationSchema.optional(),
  /** Description searches: true when no hit is a strong match (nothing both stands out and agrees with the description). */
  noStrongMatch: z.boolean().optional(),
  modelId: z.string(),
  tookMs: z.number(),
  /** Offset of the next page, or null when there are no more results. */
  nextOffset: z.number().nullable(),
});

/** One step of a "follow" timeline: a sighting of the same person, in corrected wall-clock order. */
export const FollowStepSchema = z.object({
  sighting: z.number(),
  videoId: z.number(),
  camera: z.string(),
  /** ReID cosine to the sighting asked about (1 for itself). */
  score: z.number(),
  /** Corrected wall-clock time the sighting starts, null when the video's clock is unknown (those come last). */
  wallClock: z.string().nullable(),
  /** Seconds from the end of the previous step to the start of this one (null: first, or a clock unknown). */
  gapS: z.number().nullable(),
  /** True when this step is on another camera (or another video without a camera name) than the previous one. */
  cameraChanged: z.boolean(),
});

/** "Same person": the ranked sightings (ReID), plus the follow timeline of the confident ones. */
export const SamePersonResultSchema = SearchResultSchema.extend({ follow: z.array(FollowStepSchema) });

export const ListSightingsRequestSchema = obj({ videoId: idSchema.optional() });

/** A sighting with every detection in it: what the tracker grouped, for anyone to check. */
export const SightingTrackSchema = z.object({
  id: z.number(),
  videoId: z.number(),
  video: z.string(),
  start: z.number(),
  end: z.number(),
  detections: z.array(z.object({ time: z.number(), bbox: BBoxSchema, score: z.number() })),
});

/** A sighting's track as a strip of crops (evenly spread detections), PNG data URLs. */
export const TrackStripSchema = z.object({
  sighting: z.number(),
  videoId: z.number(),
  /** Detections in the sighting (the strip shows some of them). */
  detections: z.number(),
  crops: z.array(z.object({ t: z.number(), bbox: BBoxSchema, image: z.string() })),
});

export const BookmarkSchema = z.object({
  id: z.number(),
  sightingId: z.number(),
  note: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Search text that led to it, if any. */
  query: z.string().nullable(),
  score: z.number().nullable(),
  hit: SearchHitSchema,
});

export const AddBookmarkRequestSchema = obj({
  sightingId: idSchema,
  note: text(LIMITS.noteChars).optional(),
  query: text(LIMITS.searchText).optional(),
  score: scoreSchema.optional(),
});

export const ExportRequestSchema = obj({
  outDir: absPath,
  /** 'all' or the ids of bookmarks to export. */
  bookmarks: z.union([z.literal('all'), idList.min(1, { error: 'must not be empty' })], { error: 'expected "all" or a list of bookmark ids' }),
  /** Seconds of context before and after each sighting (default LIMITS.defaultPadS). */
  padS: padSchema.optional(),
});

export const ExportReportSchema = z.object({
  bundleDir: z.string(),
  items: z.number(),
  refused: z.array(z.object({ bookmarkId: z.number(), reason: z.string() })),
});

/** Execution providers a user may choose; 'auto' picks the best available. */
export const EXECUTION_PROVIDERS = ['auto', 'cuda', 'dml', 'coreml', 'cpu'] as const;
export const ExecutionProviderSchema = z.enum(EXECUTION_PROVIDERS, { error: `expected one of ${EXECUTION_PROVIDERS.join(', ')}` });

/** '' = automatic (ffmpeg-static, then PATH); else an absolute path to the binary. */
const toolPath = z.union([z.literal(''), absPath], { error: 'expected an absolute path (or "" for automatic)' });

/** Settings that name executables: set only from a native dialog (main process) or the CLI, never over the API. */
export const ToolPathsSchema = obj({ ffmpegPath: toolPath.optional(), ffprobePath: toolPath.optional() });
/** Settings the UI may change over the API. */
/** '' = beside the case file (`<case>.proxies/`); else an absolute folder. */
const proxyDir = z.union([z.literal(''), absPath], { error: 'expected an absolute folder (or "" for beside the case)' });
export const UiSettingsPatchSchema = obj({ sampleFps: fpsSchema.optional(), executionProvider: ExecutionProviderSchema.optional(), proxyDir: proxyDir.optional(), motionGating: z.boolean().optional(),
  detectionTiles: z.boolean().optional(), coarsePass: z.boolean().optional(), cores: coresSchema.optional() });
/** Every setting (the stored file is checked against this). */
export const SettingsPatchSchema = obj({ ...ToolPathsSchema.shape, ...UiSettingsPatchSchema.shape });

export const SettingsSchema = z.object({
  /** Explicit ffmpeg path ('' = automatic: ffmpeg-static, then PATH). */
  ffmpegPath: z.string(),
  ffprobePath: z.string(),
  sampleFps: z.number(),
  executionProvider: ExecutionProviderSchema,
  /** Where playable proxies are written ('' = `<case file>.proxies/` beside the case). */
  proxyDir: z.string(),
  /** Motion gating while indexing (indexing/motionGate.ts): frames with nothing new skip the detector. */
  motionGating: z.boolean(),
  /** Wide high-resolution frames also run as overlapping tiles (vision/tiles.ts): distant people found, detector ≈ 3× slower there. */
  detectionTiles: z.boolean(),
  /** Keyframe-first coarse pass (indexing/coarsePass.ts): quiet stretches are not decoded in full. */
  coarsePass: z.boolean(),
  /** Cores indexing may use (0 = every core): files indexed at once, decoder and inference threads. */
  cores: z.number(),
});

export const ModelInfoSchema = z.object({
  id: z.string(),
  version: z.string(),
  kind: z.enum(['ivt', 'detector']),
  provider: z.string(),
  /** IVT model: chosen by an explicit setting, the case (the model it was indexed with), or the default for a new case. */
  chosenBy: z.enum(['setting', 'case', 'default']).optional(),
});

/** How each way of choosing the IVT model reads (CLI, Settings page): "ivt-small-synth-v1@1.2.0 (the case's)". */
export const IVT_CHOSEN_BY_TEXT = { setting: 'set by SIGHTLINE_IVT_MODEL', case: "the case's", default: 'the default for a new case' } as const;

export const EngineStatusSchema = z.object({
  case: CaseInfoSchema.nullable(),
  videos: z.object({ total: z.number(), done: z.number(), failed: z.number(), queued: z.number(), indexing: z.number() }),
  failures: z.array(ImportFailureSchema),
  models: z.array(ModelInfoSchema),
  /** Execution provider actually in use (e.g. 'cuda', 'cpu'). */
  executionProvider: z.string(),
  ffmpeg: z.object({ ffmpeg: z.string(), ffprobe: z.string(), source: z.enum(['setting', 'ffmpeg-static', 'PATH']) }),
  embeddings: z.number(),
  sightings: z.number(),
  /** Each video's playable file and proxy state. */
  playback: z.array(PlaybackSchema.extend({ videoId: z.number(), video: z.string() })),
  /** A team case: progress of the whole case over every worker (chunks, footage seconds, rate, ETA). */
  team: z.object({
    server: z.string(),
    /** The database role this app acts as (named in every audit entry). */
    user: z.string(),
    chunks: z.object({ total: z.number(), done: z.number(), running: z.number(), queued: z.number(), failed: z.number() }),
    footageS: z.number(),
    doneS: z.number(),
    /** Footage seconds indexed per wall second, all workers together; null until a chunk is done. */
    rate: z.number().nullable(),
    etaS: z.number().nullable(),
    videos: z.array(z.object({ id: z.number(), path: z.string(), status: z.string(), chunksDone: z.number(), chunks: z.number(), durationS: z.number() })),
  }).nullable().optional(),
});

/** Progress of long work; the CLI progress bar and the UI both consume this one event type. */
export const ProgressEventSchema = z.object({
  /** 'case': the whole import (every file of the job together; videoId null, path = the case file). */
  kind: z.enum(['import', 'index', 'export', 'proxy', 'case']),
  videoId: z.number().nullable(),
  path: z.string(),
  phase: z.enum(['hashing', 'probing', 'queued', 'indexing', 'done', 'failed', 'writing']),
  /** 0..1 for this item. */
  fraction: z.number(),
  /** Seconds left, estimated; null until known. */
  etaS: z.number().nullable(),
  message: z.string().optional(),
});

export const AuditEntrySchema = z.object({
  seq: z.number(), at: z.string(), user: z.string(), action: z.string(), details: z.record(z.string(), z.unknown()), hash: z.string(),
});

export const AuditVerdictSchema = z.object({ ok: z.boolean(), entries: z.number(), problems: z.array(z.string()) });

// ── the API: one entry per method, arguments in order ───────────────────────────────────────────

/** One API method: its arguments in call order (name → schema) and its result. */
function method<const N extends readonly string[], T extends z.ZodTuple, R extends z.ZodType>(names: N, args: T, result: R, doc: string) {
  return { names, args, result, doc };
}

/**
 * Everything the UI can ask of the engine. Arguments are named in call order; an argument called
 * `req` is a request object whose field names appear alone in error messages (`search.top`).
 */
export const API = {
  createCase: method(['req'], z.tuple([CreateCaseRequestSchema]), CaseInfoSchema, 'create a case file and open it'),
  openCase: method(['path'], z.tuple([absPath]), CaseInfoSchema, 'open an existing case file'),
  openTeamCase: method(['req'], z.tuple([OpenTeamCaseRequestSchema]), CaseInfoSchema, 'open a team case on a PostgreSQL server in place of a case file (every method then acts on it; importing stays on the command line)'),
  getCase: method([], z.tuple([]), CaseInfoSchema.nullable(), 'the open case, or null'),
  setCaseDetails: method(['patch'], z.tuple([CaseDetailsPatchSchema]), CaseInfoSchema, 'change the case number, investigator or title (audited)'),
  importPaths: method(['req'], z.tuple([ImportRequestSchema]), ImportReportSchema, 'import files/folders and index them; resolves when all are done or failed'),
  listVideos: method([], z.tuple([]), z.array(VideoInfoSchema), 'videos of the open case'),
  setCamera: method(['videoId', 'camera'], z.tuple([idSchema, cameraName]), VideoInfoSchema, 'name the camera of a video'),
  setClockCorrection: method(['videoId', 'trueStartTime'], z.tuple([idSchema, isoTime.nullable()]), VideoInfoSchema, 'ISO 8601 wall-clock time of the first frame, or null to clear'),
  search: method(['req'], z.tuple([SearchRequestSchema]), SearchResultSchema, 'sightings matching a description'),
  searchSimilar: method(['req'], z.tuple([SimilarRequestSchema]), SearchResultSchema, 'sightings that look like a given one (person re-identification)'),
  searchSamePerson: method(['req'], z.tuple([SimilarRequestSchema]), SamePersonResultSchema, 'the person of a sighting in every video (ReID), with a follow timeline'),
  listSightings: method(['req'], z.tuple([ListSightingsRequestSchema]), z.array(SightingTrackSchema), 'every sighting (of one video) with its detections'),
  getSighting: method(['id'], z.tuple([idSchema]), SightingSchema, 'one sighting'),
  getTrack: method(['sightingId'], z.tuple([idSchema]), TrackSchema, "a sighting's detections in time order (for the moving box)"),
  getTrackStrip: method(['sightingId'], z.tuple([idSchema]), TrackStripSchema, "crops of a sighting's detections, evenly spread (is it one person?)"),
  rejectSighting: method(['sightingId', 'reason'], z.tuple([idSchema, RejectReasonSchema.nullable()]), z.void(), 'mark a result "not a person"/"not relevant" (null: undo); audited'),
  relinkVideo: method(['videoId', 'path'], z.tuple([idSchema, absPath]), VideoInfoSchema, 'point a video at its moved file; refused unless the SHA-256 equals the imported one'),
  addBookmark: method(['req'], z.tuple([AddBookmarkRequestSchema]), BookmarkSchema, 'bookmark a sighting'),
  updateBookmark: method(['id', 'note'], z.tuple([idSchema, text(LIMITS.noteChars)]), BookmarkSchema, 'change the note of a bookmark'),
  removeBookmark: method(['id'], z.tuple([idSchema]), z.void(), 'remove a bookmark'),
  listBookmarks: method([], z.tuple([]), z.array(BookmarkSchema), 'bookmarks of the open case'),
  exportEvidence: method(['req'], z.tuple([ExportRequestSchema]), ExportReportSchema, 'write an evidence bundle'),
  verifyAudit: method([], z.tuple([]), AuditVerdictSchema, "recompute the open case's audit hash chain"),
  getSettings: method([], z.tuple([]), SettingsSchema, 'the settings'),
  setSettings: method(['patch'], z.tuple([UiSettingsPatchSchema]), SettingsSchema, 'change settings the UI may change (not executables)'),
  status: method([], z.tuple([]), EngineStatusSchema, 'case, videos, models, execution provider, ffmpeg'),
  getSigningKey: method([], z.tuple([]), SigningKeyInfoSchema, "this installation's evidence-signing key (made on first use)"),
};

export type ApiTable = typeof API;
export type ApiMethod = keyof ApiTable;
/** Names of the request/response methods (everything but onProgress): the IPC channel list. */
export const API_METHODS = Object.keys(API) as ApiMethod[];

/** The argument tuple of a method, in call order. */
export type ApiArgs<M extends ApiMethod> = z.infer<ApiTable[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.infer<ApiTable[M]['result']>;

/** Everything the UI can ask of the engine. Every method is async and every payload is plain JSON. */
export type SightlineApi = { [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiResult<M>> } & {
  /** Subscribe to progress; returns an unsubscribe function. */
  onProgress(listener: (e: ProgressEvent) => void): () => void;
};

/** How many arguments each method takes; a call with more or fewer is rejected. */
export const ARITY = Object.fromEntries(API_METHODS.map((m) => [m, API[m].names.length])) as { [M in ApiMethod]: number };

// ── inferred types ───────────────────────────────────────────────────────────────────────────────

export type BBox = z.infer<typeof BBoxSchema>;
export type CaseInfo = z.infer<typeof CaseInfoSchema>;
export type CreateCaseRequest = z.infer<typeof CreateCaseRequestSchema>;
export type OpenTeamCaseRequest = z.infer<typeof OpenTeamCaseRequestSchema>;
export type CaseDetailsPatch = z.infer<typeof CaseDetailsPatchSchema>;
export type SigningKeyInfo = z.infer<typeof SigningKeyInfoSchema>;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];
export type VideoMetadata = z.infer<typeof VideoMetadataSchema>;
export type VideoInfo = z.infer<typeof VideoInfoSchema>;
export type ImportRequest = z.infer<typeof ImportRequestSchema>;
export type ImportFailure = z.infer<typeof ImportFailureSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;
export type Sighting = z.infer<typeof SightingSchema>;
export type Playback = z.infer<typeof PlaybackSchema>;
export type PlaybackState = (typeof PLAYBACK_STATES)[number];
export type TrackPoint = z.infer<typeof TrackPointSchema>;
export type Track = z.infer<typeof TrackSchema>;
export type RejectReason = (typeof REJECT_REASONS)[number];
export type SearchRequest = z.infer<typeof SearchRequestSchema>;
export type SimilarRequest = z.infer<typeof SimilarRequestSchema>;
export type SearchHit = z.infer<typeof SearchHitSchema>;
export type QueryReading = z.infer<typeof QueryReadingSchema>;
export type Interpretation = z.infer<typeof InterpretationSchema>;
export type AttributeFilter = z.infer<typeof AttributeFilterSchema>;
export type SearchResult = z.infer<typeof SearchResultSchema>;
export type FollowStep = z.infer<typeof FollowStepSchema>;
export type SamePersonResult = z.infer<typeof SamePersonResultSchema>;
export type ListSightingsRequest = z.infer<typeof ListSightingsRequestSchema>;
export type SightingTrack = z.infer<typeof SightingTrackSchema>;
export type TrackStrip = z.infer<typeof TrackStripSchema>;
export type Bookmark = z.infer<typeof BookmarkSchema>;
export type AddBookmarkRequest = z.infer<typeof AddBookmarkRequestSchema>;
export type ExportRequest = z.infer<typeof ExportRequestSchema>;
export type ExportReport = z.infer<typeof ExportReportSchema>;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
export type UiSettingsPatch = z.infer<typeof UiSettingsPatchSchema>;
export type ToolPaths = z.infer<typeof ToolPathsSchema>;
export type ModelInfo = z.infer<typeof ModelInfoSchema>;
export type EngineStatus = z.infer<typeof EngineStatusSchema>;
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditVerdict = z.infer<typeof AuditVerdictSchema>;
