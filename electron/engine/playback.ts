// Which file the player plays for each video, and the background job that makes playable proxies
// (video/proxy.ts) for the videos Chromium cannot play (video/playable.ts). The case records each
// proxy (table `proxies`); the file lives beside the case (`<case>.proxies/`) or in the folder the
// proxyDir setting names. Resumable: a proxy left 'making' by a killed run, a failed one from an older
// recipe or a ready one whose file has gone is simply made again; a finished one is never redone.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Db } from './case/caseFile';
import type { Playback, ProgressEvent } from '../common/contract';
import { proxyUrl, videoUrl } from '../common/media';
import { playability } from './video/playable';
import { makeProxyFile, PROXY_RECIPE } from './video/proxy';

interface ProxyRow { state: 'making' | 'ready' | 'failed'; path: string; size_bytes: number | null; recipe: string; error: string | null }
export interface VideoRef { id: number; path: string; sha256: string; probe_json: string }

/** Folder of the case's proxies: the setting, else `<case file>.proxies` beside the case. */
export function proxyDirFor(db: Db, setting: string): string {
  return setting ? path.resolve(setting) : `${path.resolve(db.name)}.proxies`;
}

/** Where the proxy of a video goes: named by id and content hash, so two cases sharing a folder never collide. */
export function proxyPathFor(dir: string, v: { id: number; sha256: string }): string {
  return path.join(dir, `video-${v.id}-${v.sha256.slice(0, 16)}.mp4`);
}

function proxyRow(db: Db, videoId: number): ProxyRow | undefined {
  return db.prepare('SELECT state, path, size_bytes, recipe, error FROM proxies WHERE video_id = ?').get(videoId) as ProxyRow | undefined;
}

/** A ready proxy counts only while its file is there and made by the current recipe. */
function usable(row: ProxyRow | undefined): row is ProxyRow {
  return !!row && row.state === 'ready' && row.recipe === PROXY_RECIPE && fs.existsSync(row.path);
}

export function playbackOf(db: Db, v: VideoRef): Playback {
  const p = playability(v.probe_json);
  const original = { file: v.path, url: videoUrl(v.id), proxyPath: null, proxySizeBytes: null, error: null };
  if (p.native) return { state: 'native', reason: '', ...original };
  const row = proxyRow(db, v.id);
  if (usable(row)) return { state: 'ready', reason: p.reason, file: row.path, url: proxyUrl(v.id), proxyPath: row.path, proxySizeBytes: row.size_bytes, error: null };
  const made = row as ProxyRow | undefined;
  const state = made?.state === 'making' ? 'making' : made?.state === 'failed' && made.recipe === PROXY_RECIPE ? 'failed' : 'pending';
  return { state, reason: p.reason, ...original, proxyPath: made?.path ?? null, error: state === 'failed' ? made!.error : null };
}

export function playbackById(db: Db, videoId: number): Playback | null {
  const v = db.prepare('SELECT id, path, sha256, probe_json FROM videos WHERE id = ?').get(videoId) as VideoRef | undefined;
  return v ? playbackOf(db, v) : null;
}

/** The ready proxy file of a video, or null: what media://proxy/<id> may serve. */
export function readyProxyPath(db: Db, videoId: number): string | null {
  const row = proxyRow(db, videoId);
  return usable(row) ? row.path : null;
}

export interface ProxyJobOptions {
  ffmpeg: string;
  dir: string;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

/** Videos that still need a proxy (not native, none usable, not failed with this recipe). */
export function videosNeedingProxy(db: Db): VideoRef[] {
  const all = db.prepare("SELECT id, path, sha256, probe_json FROM videos WHERE status != 'failed' ORDER BY id").all() as VideoRef[];
  return all.filter((v) => { const s = playbackOf(db, v).state; return s === 'pending' || s === 'making'; });
}

/** Makes every missing proxy, one at a time (ffmpeg uses the cores itself). Stops between or during files on abort. */
export async function makeProxies(db: Db, opts: ProxyJobOptions): Promise<{ made: number; failed: number }> {
  let made = 0;
  let failed = 0;
  for (const v of videosNeedingProxy(db)) {
    if (opts.signal?.aborted) break;
    const dest = proxyPathFor(opts.dir, v);
    const now = (): string => new Date().toISOString();
    db.prepare(`INSERT INTO proxies(video_id, state, path, size_bytes, recipe, error, updated_at) VALUES (?, 'making', ?, NULL, ?, NULL, ?)
      ON CONFLICT(video_id) DO UPDATE SET state = 'making', path = excluded.path, size_bytes = NULL, recipe = excluded.recipe, error = NULL, updated_at = excluded.updated_at`)
      .run(v.id, dest, PROXY_RECIPE, now());
    opts.onProgress?.({ kind: 'proxy', videoId: v.id, path: v.path, phase: 'writing', fraction: 0, etaS: null, message: 'making a playable copy' });
    try {
      const size = await makeProxyFile(v.path, dest, { ffmpeg: opts.ffmpeg, signal: opts.signal });
      db.prepare("UPDATE proxies SET state = 'ready', size_bytes = ?, updated_at = ? WHERE video_id = ?").run(size, now(), v.id);
      made++;
      opts.onProgress?.({ kind: 'proxy', videoId: v.id, path: v.path, phase: 'done', fraction: 1, etaS: null });
    } catch (e) {
      // An abort leaves the row 'making': the next run makes it again.
      if (opts.signal?.aborted) break;
      const why = e instanceof Error ? e.message : String(e);
      db.prepare("UPDATE proxies SET state = 'failed', error = ?, updated_at = ? WHERE video_id = ?").run(why, now(), v.id);
      failed++;
      opts.onProgress?.({ kind: 'proxy', videoId: v.id, path: v.path, phase: 'failed', fraction: 1, etaS: null, message: why });
    }
  }
  return { made, failed };
}

// Team cases: the footage is on a shared path every client reads, and the case server holds no
// files. A proxy goes into this user's own cache folder, named by the video's SHA-256 and the recipe
// (the same file in two cases is made once; never written beside anyone's footage). A file under its
// final name is complete (makeProxyFile renames it into place); failures are remembered per session.

/** Why a team video's footage cannot be read here: the shared path it was imported from is not on this machine. */
export function footageMissing(v: { id: number; path: string }): string {
  return `${v.path}: footage of video ${v.id} not found on this machine (the path recorded when it was imported into the team case)`;
}

/** This user's proxy cache for team-case videos: the proxyDir setting, else the OS cache folder. */
export function proxyCacheDir(setting: string): string {
  if (setting) return path.resolve(setting);
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'Sightline', 'Cache', 'proxies');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'Sightline', 'proxies');
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'sightline', 'proxies');
}

export function cachedProxyPath(dir: string, sha256: string): string {
  return path.join(dir, `${sha256}-${PROXY_RECIPE.replace(/[^A-Za-z0-9]+/g, '-')}.mp4`);
}

/** A video of a team case as the proxy cache sees it; `failures`: SHA-256 → why its proxy could not be made. */
export interface CachedVideo extends VideoRef { size_bytes?: number }

export function cachedPlayback(v: CachedVideo, dir: string, failures: ReadonlyMap<string, string>): Playback {
  const p = playability(v.probe_json);
  const original = { file: v.path, url: videoUrl(v.id), proxyPath: null, proxySizeBytes: null, error: null };
  if (p.native) return { state: 'native', reason: '', ...original };
  const proxy = cachedProxyPath(dir, v.sha256);
  const ready = readyCachedProxy(dir, v.sha256);
  if (ready) return { state: 'ready', reason: p.reason, file: proxy, url: proxyUrl(v.id), proxyPath: proxy, proxySizeBytes: fs.statSync(proxy).size, error: null };
  const error = failures.get(v.sha256) ?? null;
  return { state: error ? 'failed' : 'pending', reason: p.reason, ...original, proxyPath: proxy, error };
}

/** The cached proxy of a video when it is there: what media://proxy/<id> serves on a team case. */
export function readyCachedProxy(dir: string, sha256: string): string | null {
  const p = cachedProxyPath(dir, sha256);
  return fs.existsSync(p) ? p : null;
}

/** Makes the cached proxies the given videos lack, one at a time; a missing original fails by name. */
export async function makeCachedProxies(videos: readonly CachedVideo[], failures: Map<string, string>, opts: ProxyJobOptions): Promise<{ made: number; failed: number }> {
  let made = 0;
  let failed = 0;
  for (const v of videos) {
    if (opts.signal?.aborted) break;
    if (cachedPlayback(v, opts.dir, new Map()).state !== 'pending') continue;
    opts.onProgress?.({ kind: 'proxy', videoId: v.id, path: v.path, phase: 'writing', fraction: 0, etaS: null, message: 'making a playable copy' });
    try {
      if (!fs.existsSync(v.path)) throw new Error(footageMissing(v));
      await makeProxyFile(v.path, cachedProxyPath(opts.dir, v.sha256), { ffmpeg: opts.ffmpeg, signal: opts.signal });
      failures.delete(v.sha256);
      made++;
      opts.onProgress?.({ kind: 'proxy', videoId: v.id, path: v.path, phase: 'done', fraction: 1, etaS: null });
    } catch (e) {
      if (opts.signal?.aborted) break;
      const why = e instanceof Error ? e.message : String(e);
      failures.set(v.sha256, why);
      failed++;
      opts.onProgress?.({ kind: 'proxy', videoId: v.id, path: v.path, phase: 'failed', fraction: 1, etaS: null, message: why });
    }
  }
  return { made, failed };
}
