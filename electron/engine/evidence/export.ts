// Evidence export, the orchestrator: picks the bookmarks, refuses an item whose original changed,
// and for each one has clips.ts cut the original-format clip (stream copy), the annotated H.264 clip
// and the snapshots; then bundle.ts writes the PDF report, manifest.json, SHA256SUMS and a copy of the
// audit log into a temporary folder that is renamed into place only when complete. The case is read
// through an EvidenceSource (source.ts): a case file or a team case, one orchestration for both.
import { LIMITS } from '../../common/limits';
import { isRemoteOrDevicePath } from '../../common/paths';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from '../case/caseFile';
import type { AuditRow } from '../case/audit';
import type { BBox, Bookmark, ExportReport, ExportRequest, ProgressEvent } from '../../common/contract';
import { onePersonOf } from '../search/onePerson';
import { toBBox, wallClock } from '../search/hits';
import { FfmpegError } from '../video/ffmpeg';
import { sha256File } from '../video/hash';
import { caseFileSource, type EvidenceSource, type EvidenceVideo } from './source';
import { abandonBundle, commitBundle, startBundle, stamp, toolVersion, writeAuditCopy, writeManifestAndSums, writePublicKey } from './bundle';
import type { SigningKey } from './signing';
import { cutOriginal, encodeAnnotated, isClipFailure, OUTPUT_FAILURE, round, SNAPSHOT_FILES, snapshots, toolSupport, type ToolSupport } from './clips';
import type { BoxSpan } from './filters';
import { snapshotStamp, trackSpans } from './filters';
import { itemFolderName, slug } from './names';
import { renderReport } from './report';
import { FRAME_JPEG_FILE, reportImages } from './exhibit';
import { modelMethods } from './method';
import { MANIFEST_FORMAT, type Manifest, type ManifestItem } from './manifestTypes';

export { toolVersion };

export interface ExportContext {
  ffmpeg: string;
  ffprobe: string;
  /** Who exports: named in the manifest, the report and the audit entry. */
  user: string;
  models: { id: string; version: string }[];
  /** The installation's key: signs manifest.json. */
  signingKey: SigningKey;
}

export class ExportError extends Error {}

/** A reason to leave one bookmark out while exporting the rest. */
class Refusal extends Error {}

const DEFAULT_PAD_S = LIMITS.defaultPadS;
const MAX_PAD_S = LIMITS.maxPadS;
const exportError = (message: string): Error => new ExportError(message);

/** Exports bookmarks of a case file. */
export function exportEvidence(db: Db, ctx: ExportContext, req: ExportRequest, onProgress?: (e: ProgressEvent) => void): Promise<ExportReport> {
  return exportFrom(caseFileSource(db), ctx, req, onProgress);
}

/** Exports bookmarks of the case `source` reads (a case file or a team case). */
export async function exportFrom(
  source: EvidenceSource, ctx: ExportContext, req: ExportRequest, onProgress?: (e: ProgressEvent) => void,
): Promise<ExportReport> {
  const padS = req.padS ?? DEFAULT_PAD_S;
  if (!Number.isFinite(padS) || padS < 0 || padS > MAX_PAD_S) throw new ExportError(`padding must be between 0 and ${MAX_PAD_S} seconds, got ${String(req.padS)}`);
  if (typeof req.outDir !== 'string' || req.outDir.trim() === '') throw new ExportError('no output directory given');
  const bookmarks = selectBookmarks(await source.bookmarks(), req.bookmarks);
  // A hash or note edited behind the log's back would otherwise be "re-verified" against itself.
  const disagreements = await source.crossCheck();
  if (disagreements.length) throw new ExportError(`the case disagrees with its audit log, nothing was exported: ${disagreements.join('; ')}`);
  const outDir = path.resolve(req.outDir);
  const info = await source.caseInfo();
  const createdAt = new Date();

  const bundle = startBundle(outDir, `sightline-export-${slug(info.caseNumber) || 'case'}-${stamp(createdAt)}`, exportError);
  const tempDir = bundle.tempDir;

  const emit = (videoId: number | null, file: string, phase: ProgressEvent['phase'], fraction: number, message?: string): void => {
    onProgress?.({ kind: 'export', videoId, path: file, phase, fraction, etaS: null, message });
  };

  try {
    const tools = await toolSupport(ctx.ffmpeg, exportError);
    const verifiedSources = new Map<number, string>();
    const items: ManifestItem[] = [];
    const refused: ExportReport['refused'] = [];
    for (const b of bookmarks) {
      try {
        items.push(await exportItem(source, ctx, tools, b, padS, tempDir, verifiedSources, emit));
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        refused.push({ bookmarkId: b.id, reason: e.message });
        emit(b.hit.videoId || null, b.hit.video, 'failed', 1, `bookmark ${b.id} refused: ${e.message}`);
      }
    }
    items.forEach((it, i) => { it.exhibit = exhibitNumber(info.caseNumber, i + 1); });
    if (items.length === 0) {
      throw new ExportError(`nothing exported: every bookmark was refused (${refused.map((r) => `bookmark ${r.bookmarkId}: ${r.reason}`).join('; ')})`);
    }

    emit(null, outDir, 'writing', 0.9, 'writing report, manifest and checksums');
    const auditRows = await source.auditRows();
    const audit = writeAuditCopy(auditRows, bundle);
    for (const it of items) it.bookmarkedBy = bookmarkedBy(auditRows, it.bookmarkId);
    const queries = queryTexts(auditRows, bookmarks);

    const signer = writePublicKey(bundle, ctx.signingKey);
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      formatVersion: 2,
      tool: { name: 'sightline', version: toolVersion() },
      createdAt: createdAt.toISOString(),
      user: ctx.user,
      case: info,
      request: { bookmarks: req.bookmarks, padS },
      models: ctx.models,
      method: modelMethods(ctx.models),
      queries,
      audit,
      items,
      refused,
      signer,
      files: [],
    };

    const pdf = await renderReport(manifest, tempDir);
    fs.writeFileSync(path.join(tempDir, 'report.pdf'), pdf);

    const manifestSha = await writeManifestAndSums(bundle, manifest, ctx.signingKey);
    const finalDir = await commitBundle(source, bundle, ctx.user, {
      manifestSha256: manifestSha, signerFingerprint: signer.fingerprint, bookmarks: items.map((i) => i.bookmarkId), refused, padS, files: manifest.files.length + 3,
    }, exportError);
    emit(null, finalDir, 'done', 1, `${items.length} item(s) exported to ${finalDir}`);
    return { bundleDir: finalDir, items: items.length, refused };
  } catch (e) {
    abandonBundle(bundle);
    if (e instanceof ExportError) throw e;
    throw new ExportError(`export to ${outDir} failed, nothing was written: ${(e as Error).message}`);
  }
}

function selectBookmarks(all: Bookmark[], which: ExportRequest['bookmarks']): Bookmark[] {
  if (which === 'all') {
    if (all.length === 0) throw new ExportError('this case has no bookmarks to export');
    return all;
  }
  if (!Array.isArray(which) || which.length === 0) throw new ExportError('no bookmarks selected for export');
  const byId = new Map(all.map((b) => [b.id, b]));
  const unknown = which.filter((id) => !byId.has(id));
  if (unknown.length) throw new ExportError(`no such bookmark${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  return [...new Set(which)].map((id) => byId.get(id)!);
}

type Emit = (videoId: number | null, file: string, phase: ProgressEvent['phase'], fraction: number, message?: string) => void;

async function exportItem(
  source: EvidenceSource, ctx: ExportContext, tools: ToolSupport, b: Bookmark, padS: number, bundleDir: string,
  verified: Map<number, string>, emit: Emit,
): Promise<ManifestItem> {
  const s = await source.sighting(b.sightingId);
  if (!s) throw new Refusal(`sighting ${b.sightingId} or its video is no longer in the case`);
  const v = await source.video(s.video_id);
  if (!v) throw new Refusal(`video ${s.video_id} is no longer in the case`);
  const src = v.path;

  emit(v.id, src, 'hashing', 0, `bookmark ${b.id}: checking the original is unchanged`);
  const before = await checkSource(v, verified);

  const folder = itemFolderName(b.id, s.id, v.camera, b.note);
  const rel = (name: string): string => `items/${folder}/${name}`;
  const dir = path.join(bundleDir, 'items', folder);
  fs.mkdirSync(dir, { recursive: true });

  const winStart = Math.max(0, s.start_s - padS);
  const winEnd = v.duration_s > 0 ? Math.min(v.duration_s, s.end_s + padS) : s.end_s + padS;
  const bbox = toBBox(s);
  const clockBase = wallClock(v.true_start_time, v.creation_time, 0);
  const clockBasis = v.true_start_time ? 'investigator clock correction' : v.creation_time ? 'container creation_time, uncorrected' : null;

  try {
    emit(v.id, src, 'writing', 0.2, `bookmark ${b.id}: cutting the original by stream copy`);
    const original = await cutOriginal(ctx, src, v.file_name, winStart, winEnd, dir);

    emit(v.id, src, 'writing', 0.45, `bookmark ${b.id}: encoding the annotated clip`);
    const detections = await source.detections(s.id);
    const annotatedName = 'clip-annotated.mp4';
    // One box moving smoothly between detections (interpolated, as in the player).
    const spans: BoxSpan[] = detections.length
      ? trackSpans(detections.map((d) => ({ t: d.t_s, bbox: [d.x, d.y, d.w, d.h] as BBox })), v.fps)
      : [{ from: s.start_s, to: s.end_s + 0.5, box: bbox }];
    const timestampBurnedIn = await encodeAnnotated(ctx, tools, src, v, spans, winStart, winEnd, clockBase, path.join(dir, annotatedName));

    emit(v.id, src, 'writing', 0.75, `bookmark ${b.id}: snapshots`);
    const frameTime = Math.max(0, s.best_s - (v.fps > 0 ? 0.5 / v.fps : 0));
    const stampLine = snapshotStamp(s.best_s, wallClock(v.true_start_time, v.creation_time, s.best_s));
    await snapshots(ctx, tools, src, v, frameTime, bbox, stampLine, dir);
    for (const f of SNAPSHOT_FILES) {
      if (!fs.existsSync(path.join(dir, f)) || fs.statSync(path.join(dir, f)).size === 0) throw new Refusal(`ffmpeg wrote no ${f} at ${s.best_s.toFixed(3)} s of ${src}`);
    }
    const crop = await reportImages(ctx.ffmpeg, dir, bbox, v.width, v.height);

    // The original must still be the one we hashed: a file replaced while we cut is refused too.
    const after = statOrNull(src);
    if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new Refusal(`source video changed while it was being exported: ${src}`);
    }
    emit(v.id, src, 'done', 1, `bookmark ${b.id}: done`);

    return {
      // bookmarkedBy: filled from the audit log once every item is cut (with the log's copy).
      exhibit: '', bookmarkId: b.id, bookmarkedBy: null, sightingId: s.id, note: b.note, query: b.query, score: b.score,
      createdAt: b.createdAt, updatedAt: b.updatedAt, camera: v.camera, folder: `items/${folder}`,
      source: {
        videoId: v.id, path: src, fileName: v.file_name, sha256: v.sha256, sizeBytes: v.size_bytes,
        sha256VerifiedAt: new Date().toISOString(), codec: v.codec, width: v.width, height: v.height, fps: v.fps, durationS: v.duration_s,
        trueStartTime: v.true_start_time, creationTime: v.creation_time,
      },
      sighting: { startS: s.start_s, endS: s.end_s, timeS: s.best_s, bbox, detections: detections.length },
      wallClock: {
        basis: clockBasis, time: wallClock(v.true_start_time, v.creation_time, s.best_s),
        start: wallClock(v.true_start_time, v.creation_time, s.start_s), end: wallClock(v.true_start_time, v.creation_time, s.end_s),
      },
      indexModels: v.index_models,
      review: { status: s.rejected === null ? 'kept' : 'rejected', reason: s.rejected },
      onePerson: onePersonOf(await source.reidVectors(s.id)),
      files: {
        originalClip: { path: rel(original.name), container: original.container, requestedStartS: round(winStart), requestedEndS: round(winEnd), actualStartS: original.startS, actualEndS: original.endS, streamCopy: true },
        annotatedClip: { path: rel(annotatedName), startS: round(winStart), endS: round(winEnd), codec: 'h264', timestampBurnedIn, clock: clockBase ? 'wall-clock UTC and source time' : 'source time' },
        snapshot: { path: rel('frame.png'), timeS: s.best_s, width: v.width, height: v.height },
        snapshotAnnotated: { path: rel('frame-annotated.png'), timeS: s.best_s },
        thumbnail: { path: rel('thumbnail.jpg') },
        personCrop: { ...crop, path: rel(crop.path) },
        frameJpeg: { path: rel(FRAME_JPEG_FILE) },
      },
    };
  } catch (e) {
    if (isClipFailure(e) && !OUTPUT_FAILURE.test(e.message)) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Refusal(`could not cut ${src}: ${e instanceof FfmpegError ? e.detail : e.message}`);
    }
    if (e instanceof Refusal) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function statOrNull(file: string): fs.Stats | null {
  try { return fs.statSync(file); } catch { return null; }
}

/** Refuses an original that is missing, or whose bytes are not the ones imported (size, then SHA-256). */
async function checkSource(v: EvidenceVideo, verified: Map<number, string>): Promise<fs.Stats> {
  // Before any file system call: a stat of \\server\share already authenticates to it.
  if (isRemoteOrDevicePath(v.path)) throw new Refusal(`source video is on a network share or device path, which a case may not name: ${v.path}`);
  const st = statOrNull(v.path);
  if (!st || !st.isFile()) throw new Refusal(`source video missing (moved or deleted since import): ${v.path}`);
  if (st.size !== v.size_bytes) throw new Refusal(`source video changed since import: ${v.path} is ${st.size} bytes, was ${v.size_bytes} at import`);
  if (!verified.has(v.id)) {
    let now: string;
    try {
      now = await sha256File(v.path);
    } catch (e) {
      throw new Refusal(`source video cannot be read: ${v.path} (${(e as Error).message})`);
    }
    if (now !== v.sha256) throw new Refusal(`source video changed since import: ${v.path} has SHA-256 ${now}, was ${v.sha256} at import`);
    verified.set(v.id, now);
  }
  return st;
}

/** Exhibit references: the case number (or CASE) and the item's place in the bundle, E001 on. */
export function exhibitNumber(caseNumber: string, n: number): string {
  return `${caseNumber.trim() || 'CASE'}-E${String(n).padStart(3, '0')}`;
}

/** The user of the (newest) "bookmark added" entry of a bookmark. */
function bookmarkedBy(rows: AuditRow[], bookmarkId: number): string | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (r.action !== 'bookmark added') continue;
    try { if ((JSON.parse(r.details) as { bookmarkId?: number }).bookmarkId === bookmarkId) return r.user; } catch { /* reported by the audit check */ }
  }
  return null;
}

/** Texts of the searches behind the exported bookmarks, and every search run in the case. */
function queryTexts(rows: AuditRow[], bookmarks: Bookmark[]): string[] {
  const texts = new Set<string>();
  for (const b of bookmarks) if (b.query) texts.add(b.query);
  for (const r of rows) {
    if (!r.action.toLowerCase().includes('search')) continue; // as SQL's LIKE '%search%' did
    try {
      const d = JSON.parse(r.details) as Record<string, unknown>;
      for (const k of ['text', 'query']) if (typeof d[k] === 'string' && (d[k] as string).trim()) texts.add(d[k] as string);
    } catch { /* an unparsable entry is reported by the audit check, not here */ }
  }
  return [...texts];
}
