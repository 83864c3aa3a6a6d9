// Which file the player plays for each video, and the background job that makes playable proxies
// (video/proxy.ts) for the videos Chromium cannot play (video/playable.ts). The case records each
// proxy (table `proxies`); the file lives beside the case (`<case>.proxies/`) or in the folder the
// proxyDir setting names. Resumable: a proxy left 'making' by a killed run, a failed one from an older
// recipe or a ready one whose file has gone is simply made again; a finished one is never redone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from './case/caseFile';
import type { Playback, ProgressEvent } from '../common/contract';
import { proxyUrl, videoUrl } from '../common/media';
import { playability } from './video/playable';
import { makeProxyFile, PROXY_RECIPE } from './video/proxy';

interface ProxyRow { state: 'making' | 'ready' | 'failed'; path: string; size_bytes: number | null; recipe: string; error: string | null }
interface VideoRef { id: number; path: string; sha256: string; probe_json: string }

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
