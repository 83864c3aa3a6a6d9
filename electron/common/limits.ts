// The one table of limits. IPC/bridge validation, settings, the CLI's flag checks and the UI's
// input bounds all read these numbers; nothing else may repeat them.
export const LIMITS = {
  /** Longest path accepted (Windows' extended paths stop at 32 767; 4096 is Linux's PATH_MAX). */
  pathChars: 4096,
  /** Files/folders in one import call. */
  importPaths: 10_000,
  /** Case number, investigator, camera name. */
  shortText: 200,
  /** A team server's postgres:// connection string. */
  connectionString: 2000,
  /** Search description and case title. The text encoder reads far fewer tokens; this only stops abuse. */
  searchText: 1_000,
  noteChars: 10_000,
  idList: 100_000,
  cameraList: 1_000,
  /**
   * Top-K of a search. 10 000 sightings is more than an investigator can review and keeps the
   * result (thumbnails are URLs, not bytes) well under a megabyte; `--top 1e9` used to crash.
   */
  top: 10_000,
  /** Paging offset into a ranking: as deep as the deepest top-K. */
  maxOffset: 10_000,
  /** Results per page in the UI's result grid. */
  pageSize: 100,
  /** Default top-K when none is asked for. */
  defaultTop: 20,
  /**
   * Sampling rate, frames per second, in (0, maxFps]. 30: CCTV is recorded at ≤ 30 fps, so more
   * samples than that are duplicate frames (the old 60 in IPC validation accepted work the CLI and
   * settings refused).
   */
  minFps: 0.01,
  maxFps: 30,
  defaultFps: 2,
  /** Cores an import may use (setting `cores`, CLI --cores; 0 = every core of the machine). */
  maxCores: 256,
  /**
   * Seconds of context before and after each exported sighting. 600 s (10 min) each side: a
   * 20-minute clip per sighting is already more than a bundle reviewer watches; the old 3600 in
   * export and "unlimited" in the CLI let one bookmark cut hours of footage.
   */
  maxPadS: 600,
  defaultPadS: 5,
  /** Time ranges (seconds from the start of a file): 10 million s ≈ 115 days of one recording. */
  maxTimeS: 1e7,
  /** Similarity scores are cosines. */
  minScore: -1,
  maxScore: 1,
} as const;
