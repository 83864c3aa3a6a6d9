// The one engine API. Electron's IPC handlers, the CLI and the test bridge all call this class;
// it owns the open case, runs indexing in a worker thread and keeps the search index warm.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type AddBookmarkRequest, type AuditVerdict, type OpenTeamCaseRequest, type SearchHit, type Bookmark, type CaseDetailsPatch, type CaseInfo, type CreateCaseRequest, type SigningKeyInfo, type EngineStatus, type ExportReport,
  type ExportRequest, type ImportReport, type ImportRequest, type ModelInfo, type ProgressEvent, type SearchRequest, type SearchResult,
  type RejectReason, type Settings, type SightlineApi, type Sighting, type SimilarRequest, type SamePersonResult, type ListSightingsRequest, type SightingTrack, type TrackStrip,
  ToolPathsSchema, type ToolPaths, type Track, type UiSettingsPatch, type VideoInfo,
} from '../common/contract';
import { ApiError, type ErrorCode } from '../common/errors';
import type { MediaRef } from '../common/media';
import { isRemoteOrDevicePath } from '../common/paths';
import { appendAudit, verifyAudit } from './case/audit';
import { caseInfo, CaseError, CaseExistsError, createCase, Db, defaultUser, getMeta, openDb, setMeta, writeTransaction } from './case/caseFile';
import { CaseBusyError } from './case/writerLock';
import { listVideos, relinkPath, setCamera, setTrueStartTime, statusCounts, videoById, videoRow } from './case/videos';
import { installationKey, keyInfo, type SigningKey } from './evidence/signing';
import { addBookmark, listBookmarks, removeBookmark, updateBookmark } from './evidence/bookmarks';
import { exportFrom } from './evidence/export';
import { caseFileSource } from './evidence/source';
import { checkAgainstCase, checkAgainstLog, fingerprintOfKeyFile, verifyBundle, type BundleVerdict } from './evidence/verify';
import type { WorkerInput, WorkerMessage } from './indexing/worker';
import { sightingRow, toSighting } from './search/hits';
import { caseFileSamePerson, listSightings, samePerson, type SamePersonSource } from './search/samePerson';
import { stripOf, trackStrip } from './search/trackStrip';
import { Searcher } from './search/search';
import { SettingsStore, validateSettings } from './settings';
import { resolveFfmpeg } from './video/ffmpegPath';
import { DEFAULT_DETECTOR, embeddingSpace, loadDetectorManifest, loadIvtModel } from './vision/manifest';
import { describeModelInUse, explicitIvtModel, loadChosenIvtModel, resolveIvtModel, type IvtModelChoice } from './vision/caseModel';
import { ivtModelOfCaseFile } from './case/ivtModel';
import { createSession } from './vision/providers';
import { cachedPlayback, footageMissing, makeCachedProxies, makeProxies, playbackById, proxyCacheDir, proxyDirFor, readyCachedProxy, readyProxyPath } from './playback';
import { sha256File } from './video/hash';
import { TeamCase } from './team/teamCase';
import { teamAddBookmark, teamListBookmarks, teamRemoveBookmark, teamUpdateBookmark } from './team/bookmarks';
import { teamEvidenceSource } from './team/evidenceSource';
import { changeTeamVideo, teamVideo, teamVideos, type PlaybackOf } from './team/videos';
import { redact, scrub } from './team/server';
import { teamListSightings, teamRejectSighting, teamSamePerson, teamSightingRow, teamThumbnail, teamTrackPoints, teamVideoRefs, type TeamVideoRef } from './team/sightings';

/** What a team case cannot do yet, said wherever it is asked for. */
export const TEAM_NOT_YET = 'not available for a team case: its footage is imported and indexed from the command line (sightline index --server …, sightline worker --server …)';

export interface EngineOptions {
  settingsFile?: string;
  /** Who acts, when it is not the open case's investigator (a test, a shared workstation's login). */
  user?: string;
  /** Folder of this installation's signing key (default: SIGHTLINE_HOME, else the OS config folder). */
  keyDir?: string;
  detectorModel?: string;
  /** An explicit IVT model (id or folder): wins over the case's model (vision/caseModel.ts), as SIGHTLINE_IVT_MODEL does. */
  ivtModel?: string;
  /**
   * Make playable proxies in the background after opening a case and after each import (the desktop
   * app and the bridge). The CLI leaves it off: `index` makes them itself before it exits.
   */
  backgroundProxies?: boolean;
}

export type MediaFile = { kind: 'file'; path: string; mime: string; size?: number } | { kind: 'bytes'; data: Buffer; mime: string };

/** A failure the engine names: carries an error code across every process boundary. */
export class EngineError extends ApiError {
  /** `exists`: a create lost the race to another process's exclusive create of the same file. */
  constructor(message: string, code: ErrorCode = 'INTERNAL', readonly exists = false) {
    super(code, message);
    this.name = 'EngineError';
  }
}

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo', '.ts': 'video/mp2t', '.mts': 'video/mp2t', '.m2ts': 'video/mp2t',
};

export class Engine implements SightlineApi {
  private db: Db | null = null;
  /**
   * A team case on a PostgreSQL server (engine/team/), open instead of a case file; its address kept
   * redacted only. `proxyFailures`: why a video's proxy could not be made (SHA-256 → reason), this session;
   * `proxyWanted`: videos whose proxy is being made because the player asked for them.
   */
  private team: { case: TeamCase; server: string; proxyFailures: Map<string, string>; proxyWanted: Set<number> } | null = null;
  private searcher: Searcher | null = null;
  private listeners = new Set<(e: ProgressEvent) => void>();
  private settings: SettingsStore;
  private jobs: Promise<unknown> = Promise.resolve();
  private workers = new Set<Worker>();
  private provider: string | null = null;
  private signingKey: SigningKey | null = null;
  private proxyJob: { stop: AbortController; done: Promise<unknown> } | null = null;

  constructor(private opts: EngineOptions = {}) {
    this.settings = new SettingsStore(opts.settingsFile);
  }

  /**
   * The name every audit entry carries: the one given to the engine (option, SIGHTLINE_USER), else
   * the open case's investigator, else the operating-system account.
   */
  get user(): string {
    const given = this.opts.user || process.env.SIGHTLINE_USER;
    if (given) return given;
    return (this.db && getMeta(this.db, 'investigator')) || defaultUser();
  }

  // A model folder of the user's (e.g. an IVT trained on CUHK-PEDES), chosen explicitly, wins over the case's model.
  private get explicitIvtModel(): string | undefined { return this.opts.ivtModel ?? explicitIvtModel(); }

  /**
   * The IVT model the open case is searched (and, for a case file, indexed) with, and who chose it
   * (vision/caseModel.ts resolveIvtModel): the explicit choice, else the case's model, else the default.
   */
  async ivtModelChoice(): Promise<IvtModelChoice> {
    const caseModel = this.team ? await this.team.case.store.ivtModelOfCase() : this.db ? ivtModelOfCaseFile(this.db) : undefined;
    return resolveIvtModel(this.explicitIvtModel, caseModel);
  }

  /** The IVT model in use on the open case as the investigator is shown it: "id@version (the case's)". */
  async ivtModelInUse(): Promise<string> { return describeModelInUse(await this.ivtModelChoice()); }
  private get detectorModel(): string { return this.opts.detectorModel ?? (process.env.SIGHTLINE_DETECTOR_MODEL || DEFAULT_DETECTOR); }

  private requireCase(): Db {
    if (this.team) throw new EngineError(TEAM_NOT_YET, 'FORBIDDEN');
    if (!this.db) throw new EngineError('no case is open: create or open a case first', 'NO_CASE');
    return this.db;
  }

  private async switchTo(db: Db): Promise<CaseInfo> {
    await this.closeCase();
    this.db = db;
    if (this.opts.backgroundProxies && !db.readonly) this.startProxies();
    return caseInfo(db);
  }

  async createCase(req: CreateCaseRequest): Promise<CaseInfo> {
    return this.switchTo(caseFile(() => createCase({ ...req, investigator: req.investigator || this.user })));
  }

  /** `readonly`: for commands that only read (status, audit): the file is opened read-only and never changed. */
  async openCase(file: string, opts: { readonly?: boolean } = {}): Promise<CaseInfo> {
    return this.switchTo(caseFile(() => openDb(file, opts)));
  }

  /** Opens a case only to read it: nothing in the file changes. */
  async openCaseReadOnly(file: string): Promise<CaseInfo> {
    return this.openCase(file, { readonly: true });
  }

  /**
   * Opens the case file, creating it when it does not exist yet (the CLI's behaviour). `details`
   * name the case when it is created, and change it (audited) when it already exists.
   */
  async openOrCreateCase(file: string, details: CaseDetailsPatch = {}): Promise<CaseInfo> {
    try {
      await this.openCase(file);
    } catch (e) {
      if (!(e instanceof EngineError && e.code === 'CASE_FILE' && /no such case file/.test(e.message))) throw e;
      try {
        return await this.createCase({ path: file, caseNumber: details.caseNumber ?? '', investigator: details.investigator || this.user, title: details.title });
      } catch (c) {
        // Another process created it meanwhile (exclusive create): open theirs.
        if (!(c instanceof EngineError && c.exists)) throw c;
        await this.openCase(file);
      }
    }
    return this.setCaseDetails(details);
  }

  /**
   * Opens a team case (engine/team/teamCase.ts) in place of a case file. The connection string is
   * used to connect and then forgotten: only its redacted form is kept, errors are scrubbed of it.
   */
  async openTeamCase(req: OpenTeamCaseRequest): Promise<CaseInfo> {
    const conn = req.server.trim();
    let team: TeamCase;
    try {
      team = await TeamCase.open(conn);
    } catch (e) {
      throw new EngineError(`cannot open the team case on ${redact(conn)}: ${scrub((e as Error).message, conn)}`, 'CASE_FILE');
    }
    await this.closeCase();
    // No proxies are made at open: a team case can hold thousands of camera-hours, so each video's
    // proxy is made when it is first played (teamMediaFile), in this user's cache.
    this.team = { case: team, server: redact(conn), proxyFailures: new Map(), proxyWanted: new Set() };
    return this.teamInfo(this.team);
  }

  private async teamInfo(t: { case: TeamCase; server: string }): Promise<CaseInfo> {
    const i = await t.case.info();
    return { path: t.server, evidenceDir: '', caseNumber: i.caseNumber, investigator: i.user, title: i.title, createdAt: i.createdAt, team: { server: t.server } };
  }

  async getCase(): Promise<CaseInfo | null> {
    if (this.team) return this.teamInfo(this.team);
    return this.db ? caseInfo(this.db) : null;
  }

  /** Case number, investigator, title: one audited change; the entry names who acts after it. */
  async setCaseDetails(patch: CaseDetailsPatch): Promise<CaseInfo> {
    if (this.team) {
      if (patch.investigator !== undefined && patch.investigator.trim() !== (await this.team.case.info()).user) {
        throw new EngineError('the investigator of a team case is the database role you connect as: connect as that investigator instead', 'INVALID_ARGUMENT');
      }
      await this.team.case.setDetails(patch);
      return this.teamInfo(this.team);
    }
    const db = this.requireCase();
    const keys = { caseNumber: 'case_number', investigator: 'investigator', title: 'title' } as const;
    writeTransaction(db, () => {
      const changes: Record<string, { from: string; to: string }> = {};
      for (const [field, key] of Object.entries(keys) as [keyof CaseDetailsPatch, string][]) {
        const to = patch[field]?.trim();
        if (to === undefined) continue;
        const from = getMeta(db, key) ?? '';
        if (to === from) continue;
        if (field === 'investigator' && to === '') throw new EngineError('the investigator name must not be empty', 'INVALID_ARGUMENT');
        setMeta(db, key, to);
        changes[field] = { from, to };
      }
      if (Object.keys(changes).length) appendAudit(db, this.user, 'case details changed', changes);
    });
    return caseInfo(db);
  }

  /** This installation's signing key, made on first use (SIGHTLINE_HOME or the OS config folder). */
  private key(): SigningKey {
    if (!this.signingKey) {
      try {
        this.signingKey = installationKey(this.opts.keyDir);
      } catch (e) {
        throw new EngineError((e as Error).message, 'INTERNAL');
      }
    }
    return this.signingKey;
  }

  async getSigningKey(): Promise<SigningKeyInfo> { return keyInfo(this.key()); }

  ffmpeg(): ReturnType<typeof resolveFfmpeg> {
    const s = this.settings.get();
    return resolveFfmpeg({ ffmpegPath: s.ffmpegPath, ffprobePath: s.ffprobePath });
  }

  /** Imports and indexes in a worker thread; resolves when every input is indexed or has failed. */
  importPaths(req: ImportRequest): Promise<ImportReport> {
    const db = this.requireCase();
    const s = this.settings.get();
    const ff = this.ffmpeg();
    const input: WorkerInput = {
      dbPath: db.name, paths: req.paths.map((p) => path.resolve(p)), fps: req.fps ?? s.sampleFps, ffmpeg: ff.ffmpeg, ffprobe: ff.ffprobe,
      user: this.user, provider: s.executionProvider, detectorModel: this.detectorModel, ivtModel: this.explicitIvtModel,
      motionGate: s.motionGating, detectionTiles: s.detectionTiles, coarsePass: s.coarsePass, cores: req.cores ?? s.cores,
    };
    // One job at a time: a second import waits for the first instead of fighting it for the cores.
    const run = this.jobs.then(() => this.runWorker(input));
    this.jobs = run.catch(() => undefined);
    if (this.opts.backgroundProxies) void run.finally(() => this.startProxies()).catch(() => undefined);
    return run;
  }

  /**
   * Makes the playable proxies the open case still lacks (video/proxy.ts, engine/playback.ts), or on a
   * team case those of `videoIds` when given; resolves when done. Waits for a run already going rather
   * than starting a second ffmpeg beside it.
   */
  async makeProxies(videoIds?: number[]): Promise<{ made: number; failed: number }> {
    const team = this.team;
    const db = team ? null : this.requireCase();
    while (this.proxyJob) await this.proxyJob.done;
    const stop = new AbortController();
    const opts = { ffmpeg: this.ffmpeg().ffmpeg, signal: stop.signal, onProgress: (e: ProgressEvent) => this.emit(e) };
    // A team case's proxies go to this user's cache (playback.ts), never beside the shared footage.
    const done = team
      ? teamVideoRefs(team.case.pool).then((videos) => makeCachedProxies(videos.filter((v) => !videoIds || videoIds.includes(v.id)), team.proxyFailures, { ...opts, dir: proxyCacheDir(this.settings.get().proxyDir) }))
      : makeProxies(db!, { ...opts, dir: proxyDirFor(db!, this.settings.get().proxyDir) });
    this.proxyJob = { stop, done: done.catch(() => undefined) };
    try {
      return await done;
    } finally {
      this.proxyJob = null;
    }
  }

  private startProxies(): void {
    if (!this.db || this.proxyJob) return;
    void this.makeProxies().catch(() => undefined);
  }

  private runWorker(input: WorkerInput): Promise<ImportReport> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(path.join(__dirname, 'indexing', 'worker.js'), { workerData: input });
      this.workers.add(worker);
      let settled = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') this.emit(m.event);
        else if (m.type === 'done') { settled = true; resolve(m.report); }
        else { settled = true; reject(new EngineError(m.message)); }
      });
      worker.on('error', (e) => { settled = true; reject(e); });
      worker.on('exit', (code) => {
        this.workers.delete(worker);
        if (!settled) reject(new EngineError(`indexing stopped (worker exit code ${code})`));
      });
    });
  }

  private emit(e: ProgressEvent): void {
    for (const l of this.listeners) l(e);
  }

  onProgress(listener: (e: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async listVideos(): Promise<VideoInfo[]> { return this.team ? teamVideos(this.team.case.pool, this.teamPlayback) : listVideos(this.requireCase()); }

  async setCamera(videoId: number, camera: string): Promise<VideoInfo> {
    const audit = (before: VideoInfo): [string, Record<string, unknown>] => ['camera named', { videoId, from: before.camera, to: camera }];
    if (this.team) return changeTeamVideo(this.team.case.pool, videoId, { camera }, this.teamPlayback, audit);
    const db = this.requireCase();
    writeTransaction(db, () => {
      const before = videoById(db, videoId);
      setCamera(db, videoId, camera);
      appendAudit(db, this.user, ...audit(before));
    });
    return videoById(db, videoId);
  }

  async setClockCorrection(videoId: number, trueStartTime: string | null): Promise<VideoInfo> {
    if (trueStartTime !== null && Number.isNaN(Date.parse(trueStartTime))) throw new EngineError(`"${trueStartTime}" is not a date and time (use ISO 8601, e.g. 2026-03-14T09:30:00Z)`);
    const iso = trueStartTime === null ? null : new Date(Date.parse(trueStartTime)).toISOString();
    const audit = (before: VideoInfo): [string, Record<string, unknown>] => ['clock correction set', { videoId, from: before.trueStartTime, to: iso }];
    if (this.team) return changeTeamVideo(this.team.case.pool, videoId, { true_start_time: iso }, this.teamPlayback, audit);
    const db = this.requireCase();
    writeTransaction(db, () => {
      const before = videoById(db, videoId);
      setTrueStartTime(db, videoId, iso);
      appendAudit(db, this.user, ...audit(before));
    });
    return videoById(db, videoId);
  }

  private async openSearcher(): Promise<Searcher> {
    if (!this.searcher) {
      const source = this.team ? this.team.case.searchSource : this.requireCase();
      this.searcher = await Searcher.open(source, loadChosenIvtModel(await this.ivtModelChoice()).ref, this.settings.get().executionProvider);
    }
    return this.searcher;
  }

  /**
   * Appends one entry to the open case's audit log in its own transaction: the case file's (acting
   * as this engine's user) or the team case's (acting as the database role).
   */
  private async audit(action: string, details: Record<string, unknown>): Promise<void> {
    if (this.team) { await this.team.case.store.appendAudit(action, details); return; }
    const db = this.requireCase();
    writeTransaction(db, () => appendAudit(db, this.user, action, details));
  }

  /** Description search, one Searcher for both backends (a team case's vectors load incrementally from the server). */
  async search(req: SearchRequest): Promise<SearchResult> {
    const result = await (await this.openSearcher()).search(req);
    await this.audit('search run', { text: req.text, filters: { ...req, text: undefined }, hits: result.hits.length, model: result.modelId });
    return result;
  }

  /** "More like this": the person of the sighting, by re-identification (the follow timeline left out). */
  async searchSimilar(req: SimilarRequest): Promise<SearchResult> {
    const { follow: _follow, ...result } = await samePerson(this.samePersonSource(), req);
    await this.audit('search run', { similarTo: req.sightingId, hits: result.hits.length, model: result.modelId });
    return result;
  }

  async searchSamePerson(req: SimilarRequest): Promise<SamePersonResult> {
    const result = await samePerson(this.samePersonSource(), req);
    await this.audit('search run', { samePersonAs: req.sightingId, hits: result.hits.length, model: result.modelId });
    return result;
  }

  /** Same-person ranking's data (search/samePerson.ts ranks, one copy for both backends). */
  private samePersonSource(): SamePersonSource {
    return this.team ? teamSamePerson(this.team.case.pool) : caseFileSamePerson(this.requireCase());
  }

  async listSightings(req: ListSightingsRequest): Promise<SightingTrack[]> {
    if (this.team) return teamListSightings(this.team.case.pool, req.videoId);
    return listSightings(this.requireCase(), req.videoId);
  }

  async getTrack(sightingId: number): Promise<Track> {
    let videoId: number, rows: number[][];
    if (this.team) {
      const r = await teamSightingRow(this.team.case.pool, sightingId);
      if (!r) throw new EngineError(`sighting ${sightingId}: not in this case`, 'NOT_FOUND');
      videoId = r.video_id;
      rows = await teamTrackPoints(this.team.case.pool, sightingId);
    } else {
      const db = this.requireCase();
      const r = sightingRow(db, sightingId);
      if (!r) throw new EngineError(`sighting ${sightingId}: not in this case`, 'NOT_FOUND');
      videoId = r.video_id;
      rows = db.prepare('SELECT t_s, x, y, w, h FROM detections WHERE sighting_id = ? ORDER BY t_s').raw(true).all(sightingId) as number[][];
    }
    return { sighting: sightingId, videoId, points: rows.map(([t, x, y, w, h]) => ({ t, bbox: [x, y, w, h] })) };
  }

  async getTrackStrip(sightingId: number): Promise<TrackStrip> {
    const strip = this.team ? await this.teamTrackStrip(this.team.case, sightingId) : await trackStrip(this.requireCase(), sightingId, this.ffmpeg().ffmpeg);
    if (!strip) throw new EngineError(`sighting ${sightingId}: not in this case`, 'NOT_FOUND');
    return strip;
  }

  /** A team case's strip is cut from the shared footage at the path recorded at import. */
  private async teamTrackStrip(team: TeamCase, sightingId: number): Promise<TrackStrip | null> {
    const r = await teamSightingRow(team.pool, sightingId);
    if (!r) return null;
    const video = await this.teamFootage(team, r.video_id);
    return stripOf(sightingId, { video, detections: await teamTrackPoints(team.pool, sightingId) }, this.ffmpeg().ffmpeg);
  }

  /** A team video whose footage this machine can read, or an error naming the missing file. */
  private async teamFootage(team: TeamCase, videoId: number): Promise<TeamVideoRef> {
    const [v] = await teamVideoRefs(team.pool, videoId);
    if (!v) throw new EngineError(`video ${videoId}: not in this case`, 'NOT_FOUND');
    if (isRemoteOrDevicePath(v.path)) throw new EngineError(`${v.path}: network share and device paths are not opened`, 'INVALID_ARGUMENT');
    if (!fs.existsSync(v.path)) throw new EngineError(footageMissing(v), 'NOT_FOUND');
    return v;
  }

  async rejectSighting(sightingId: number, reason: RejectReason | null): Promise<void> {
    if (this.team) {
      if (!(await teamRejectSighting(this.team.case.pool, sightingId, reason))) throw new EngineError(`sighting ${sightingId}: not in this case`, 'NOT_FOUND');
      return;
    }
    const db = this.requireCase();
    if (!sightingRow(db, sightingId)) throw new EngineError(`sighting ${sightingId}: not in this case`, 'NOT_FOUND');
    writeTransaction(db, () => {
      const before = (db.prepare('SELECT reason FROM rejections WHERE sighting_id = ?').pluck().get(sightingId) as string | undefined) ?? null;
      if (reason === null) db.prepare('DELETE FROM rejections WHERE sighting_id = ?').run(sightingId);
      else db.prepare('INSERT INTO rejections(sighting_id, reason, at) VALUES (?, ?, ?) ON CONFLICT(sighting_id) DO UPDATE SET reason = excluded.reason, at = excluded.at').run(sightingId, reason, new Date().toISOString());
      appendAudit(db, this.user, reason === null ? 'result restored' : 'result rejected', { sightingId, from: before, to: reason });
    });
  }

  /** Moved footage: accepts the new path only when its SHA-256 is the one recorded at import. */
  async relinkVideo(videoId: number, file: string): Promise<VideoInfo> {
    const before = this.team ? await teamVideo(this.team.case.pool, videoId, this.teamPlayback) : videoById(this.requireCase(), videoId);
    const abs = path.resolve(file);
    if (isRemoteOrDevicePath(abs)) throw new EngineError(`${abs}: network share and device paths are not opened`, 'INVALID_ARGUMENT');
    let hash: string;
    try {
      hash = await sha256File(abs);
    } catch (e) {
      throw new EngineError(`${abs}: cannot be read (${e instanceof Error ? e.message : String(e)})`, 'INVALID_ARGUMENT');
    }
    if (hash !== before.sha256) {
      throw new EngineError(`${abs}: not the imported file (SHA-256 ${hash.slice(0, 16)}…, the case recorded ${before.sha256.slice(0, 16)}… for video ${videoId})`, 'INVALID_ARGUMENT');
    }
    const audit = (b: VideoInfo): [string, Record<string, unknown>] => ['video relinked', { videoId, from: b.path, to: abs, sha256: hash }];
    if (this.team) return changeTeamVideo(this.team.case.pool, videoId, { path: abs }, this.teamPlayback, audit);
    const db = this.requireCase();
    writeTransaction(db, () => {
      relinkPath(db, videoId, abs);
      appendAudit(db, this.user, ...audit(before));
    });
    return videoById(db, videoId);
  }

  async getSighting(id: number): Promise<Sighting> {
    const r = this.team ? await teamSightingRow(this.team.case.pool, id) : sightingRow(this.requireCase(), id);
    if (!r) throw new EngineError(`sighting ${id}: not in this case`, 'NOT_FOUND');
    return toSighting(r);
  }

  // On a team case (team/bookmarks.ts) the audit entries' actor is the database role, not this.user.
  async addBookmark(req: AddBookmarkRequest): Promise<Bookmark> { return this.team ? teamAddBookmark(this.team.case.pool, req) : addBookmark(this.requireCase(), this.user, req); }
  async updateBookmark(id: number, note: string): Promise<Bookmark> { return this.team ? teamUpdateBookmark(this.team.case.pool, id, note) : updateBookmark(this.requireCase(), this.user, id, note); }
  async removeBookmark(id: number): Promise<void> { return this.team ? teamRemoveBookmark(this.team.case.pool, id) : removeBookmark(this.requireCase(), this.user, id); }
  async listBookmarks(): Promise<Bookmark[]> { return this.team ? teamListBookmarks(this.team.case.pool) : listBookmarks(this.requireCase()); }

  /** One export for both kinds of case (evidence/source.ts); a team case's export is made and signed here, in its role's name. */
  async exportEvidence(req: ExportRequest): Promise<ExportReport> {
    const source = this.team ? teamEvidenceSource(this.team.case.store, this.team.server) : caseFileSource(this.requireCase());
    const user = this.team ? (await source.caseInfo()).investigator : this.user;
    const ff = this.ffmpeg();
    return exportFrom(source, { ffmpeg: ff.ffmpeg, ffprobe: ff.ffprobe, user, models: await this.models(), signingKey: this.key() }, req, (e: ProgressEvent) => this.emit(e));
  }

  async verifyAudit(): Promise<AuditVerdict> { return this.team ? this.team.case.verifyAudit() : verifyAudit(this.requireCase()); }

  /**
   * Checks a bundle: hashes and signature, the signer against `key` (a public key file) or
   * `fingerprint` when given, and — when a case is open — that the case recorded this export.
   */
  async verifyBundle(dir: string, pin: { key?: string; fingerprint?: string } = {}): Promise<BundleVerdict> {
    let expectFingerprint = pin.fingerprint;
    if (pin.key !== undefined) {
      try { expectFingerprint = fingerprintOfKeyFile(pin.key); } catch (e) { throw new EngineError((e as Error).message, 'INVALID_ARGUMENT'); }
    }
    const verdict = verifyBundle(dir, { expectFingerprint });
    if (this.team) return checkAgainstLog({ name: this.team.server, audit: await this.team.case.verifyAudit(), rows: await this.team.case.store.auditRows() }, verdict);
    return this.db ? checkAgainstCase(this.db, verdict) : verdict;
  }

  async getSettings(): Promise<Settings> { return this.settings.get(); }
  /** What the UI may change. Executables are refused here: see setToolPaths. */
  async setSettings(patch: UiSettingsPatch): Promise<Settings> {
    if (patch && typeof patch === 'object' && ('ffmpegPath' in patch || 'ffprobePath' in patch)) {
      throw new EngineError('settings naming executables (ffmpegPath, ffprobePath) are set from a native dialog or the CLI, not over the API', 'FORBIDDEN');
    }
    const s = this.settings.set(validateSettings(patch));
    if ('executionProvider' in patch) this.provider = null;
    return s;
  }

  /** ffmpeg/ffprobe paths: reached only from Electron main's native file dialog and the CLI, never the renderer. */
  async setToolPaths(paths: ToolPaths): Promise<Settings> {
    const r = ToolPathsSchema.safeParse(paths);
    if (!r.success) throw new EngineError(`tool paths: ${r.error.issues[0].message}`, 'INVALID_ARGUMENT');
    return this.settings.set(validateSettings(r.data));
  }

  /** Models named in evidence: a missing manifest is recorded as such, it does not block an export. */
  async models(): Promise<{ id: string; version: string }[]> {
    const load = (name: string, f: (n: string) => { id: string; version: string }): { id: string; version: string } => {
      try { return pick(f(name)); } catch { return { id: name, version: 'not installed on this machine' }; }
    };
    return [load(this.detectorModel, loadDetectorManifest), load((await this.ivtModelChoice()).model, loadIvtModel)];
  }

  /** The provider indexing will use: opening the detector once tells (GPU providers may fail to load). */
  async executionProvider(): Promise<string> {
    if (!this.provider) {
      const m = loadDetectorManifest(this.detectorModel);
      const opened = await createSession(path.join(m.dir, m.file), this.settings.get().executionProvider);
      this.provider = opened.provider;
      await opened.session.release();
    }
    return this.provider;
  }

  async status(): Promise<EngineStatus> {
    const provider = await this.executionProvider();
    const choice = await this.ivtModelChoice();
    const ivt = loadChosenIvtModel(choice);
    const models: ModelInfo[] = [
      { ...pick(loadDetectorManifest(this.detectorModel)), kind: 'detector', provider },
      { ...pick(ivt), kind: 'ivt', provider, chosenBy: choice.chosenBy },
    ];
    const ff = this.ffmpeg();
    const base: EngineStatus = {
      case: null, videos: { total: 0, done: 0, failed: 0, queued: 0, indexing: 0 }, failures: [], models, executionProvider: provider,
      ffmpeg: ff, embeddings: 0, sightings: 0, playback: [],
    };
    if (this.team) {
      const t = await this.team.case.status();
      for (const v of t.videos) if (v.status in base.videos) { base.videos[v.status as keyof typeof base.videos]++; base.videos.total++; }
      base.case = await this.teamInfo(this.team);
      base.sightings = t.sightings;
      base.embeddings = t.detections;
      base.playback = (await teamVideoRefs(this.team.case.pool)).map((v) => ({ videoId: v.id, video: v.path, ...this.teamPlayback(v) }));
      base.team = {
        server: this.team.server, user: t.user, chunks: { total: t.chunks.total, done: t.chunks.done, running: t.chunks.running, queued: t.chunks.queued, failed: t.chunks.failed },
        footageS: t.footageS, doneS: t.doneS, rate: t.rate, etaS: t.etaS, videos: t.videos,
      };
      return base;
    }
    if (!this.db) return base;
    const db = this.db;
    for (const c of statusCounts(db)) { base.videos[c.status] = c.n; base.videos.total += c.n; }
    base.case = caseInfo(db);
    base.failures = db.prepare('SELECT path, reason FROM import_failures ORDER BY id').all() as { path: string; reason: string }[];
    // Embedding rows carry the model as id@version (the embedding space), not the bare id; an
    // ensemble's crops are counted once (by its first member's rows).
    base.embeddings = (db.prepare('SELECT count(*) AS n FROM embeddings WHERE model_id = ?').get(embeddingSpace(ivt.members[0])) as { n: number }).n;
    const videos = db.prepare('SELECT id, path FROM videos ORDER BY id').all() as { id: number; path: string }[];
    base.playback = videos.map((v) => ({ videoId: v.id, video: v.path, ...playbackById(db, v.id)! }));
    base.sightings = (db.prepare('SELECT count(*) AS n FROM sightings').get() as { n: number }).n;
    return base;
  }

  /** What the media protocol may serve: only files of this case, looked up by id. */
  async mediaFile(ref: MediaRef): Promise<MediaFile | null> {
    if (this.team) return this.teamMediaFile(this.team, ref);
    if (!this.db) return null;
    if (ref.kind === 'proxy') {
      const p = readyProxyPath(this.db, ref.videoId);
      return p ? { kind: 'file', path: p, mime: 'video/mp4' } : null;
    }
    if (ref.kind === 'video') {
      const v = videoRow(this.db, ref.videoId);
      // A UNC or device path stored in a case is never opened (Windows would authenticate to the share).
      if (!v || isRemoteOrDevicePath(v.path)) return null;
      return { kind: 'file', path: v.path, mime: MIME[path.extname(v.path).toLowerCase()] ?? 'application/octet-stream', size: v.size_bytes };
    }
    const t = this.db.prepare('SELECT thumbnail FROM sightings WHERE id = ?').get(ref.sightingId) as { thumbnail: Buffer | null } | undefined;
    return t?.thumbnail ? { kind: 'bytes', data: t.thumbnail, mime: 'image/png' } : null;
  }

  /** How the player plays a team video: the shared original, or this user's cached proxy of it (playback.ts). */
  private teamPlayback: PlaybackOf = (v) => cachedPlayback(v, proxyCacheDir(this.settings.get().proxyDir), this.team?.proxyFailures ?? new Map());

  /** A team case's media: thumbnails from the server, the shared footage by video id, proxies from this user's cache. */
  private async teamMediaFile(team: NonNullable<Engine['team']>, ref: MediaRef): Promise<MediaFile | null> {
    if (ref.kind === 'thumbnail') {
      const png = await teamThumbnail(team.case.pool, ref.sightingId);
      return png ? { kind: 'bytes', data: png, mime: 'image/png' } : null;
    }
    const [v] = await teamVideoRefs(team.case.pool, ref.videoId);
    if (!v || isRemoteOrDevicePath(v.path)) return null;
    if (ref.kind === 'proxy') {
      const p = readyCachedProxy(proxyCacheDir(this.settings.get().proxyDir), v.sha256);
      return p ? { kind: 'file', path: p, mime: 'video/mp4' } : null;
    }
    // The player asked for footage Chromium cannot play and has no proxy yet: make it now (its progress
    // events refresh the player's source); the original is still served for whatever can read it.
    if (this.teamPlayback(v).state === 'pending' && !team.proxyWanted.has(v.id)) {
      team.proxyWanted.add(v.id);
      void this.makeProxies([v.id]).catch(() => undefined).finally(() => team.proxyWanted.delete(v.id));
    }
    return { kind: 'file', path: v.path, mime: MIME[path.extname(v.path).toLowerCase()] ?? 'application/octet-stream', size: v.size_bytes };
  }

  private async closeCase(): Promise<void> {
    if (this.proxyJob) { this.proxyJob.stop.abort(); await this.proxyJob.done; }
    await Promise.all([...this.workers].map(async (w) => {
      w.postMessage({ type: 'abort' });
      await new Promise((r) => w.once('exit', r));
    }));
    if (this.searcher) { await this.searcher.close(); this.searcher = null; }
    if (this.team) { const t = this.team; this.team = null; await t.case.close(); }
    if (this.db) { this.db.close(); this.db = null; }
  }

  /** Stops indexing after its current batch (committed work stays) and closes the case. */
  async close(): Promise<void> { await this.closeCase(); }
}

/** Case-file failures (missing, not a Sightline case, newer schema) carry the CASE_FILE code. */
function caseFile(open: () => Db): Db {
  try {
    return open();
  } catch (e) {
    if (e instanceof CaseBusyError) throw new EngineError(e.message, 'CASE_BUSY');
    if (e instanceof CaseError) throw new EngineError(e.message, 'CASE_FILE', e instanceof CaseExistsError);
    throw e;
  }
}

function pick(m: { id: string; version: string }): { id: string; version: string } {
  return { id: m.id, version: m.version };
}

export function createEngine(opts: EngineOptions = {}): Engine {
  return new Engine(opts);
}
