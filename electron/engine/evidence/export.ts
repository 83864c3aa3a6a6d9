// Evidence export: for each bookmark, the original-format clip (stream copy), an annotated H.264
// clip, full-resolution snapshots, and for the bundle a PDF report, manifest.json, SHA256SUMS and a
// copy of the audit log. Everything is written into a hidden temporary sibling folder that is renamed
// into place only when complete, so a folder with the bundle's name is always a whole bundle.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from '../case/caseFile';
import { caseInfo, writeTransaction } from '../case/caseFile';
import { appendAudit, crossCheckAudit, listAuditRows, verifyAuditRows } from '../case/audit';
import { videoRow, type VideoRow } from '../case/videos';
import type { BBox, Bookmark, ExportReport, ExportRequest, ProgressEvent } from '../contract';
import { sightingRow, toBBox, wallClock, type SightingRow } from '../search/hits';
import { sha256File } from '../video/hash';
import { fileUrl } from '../video/probe';
import { listBookmarks } from './bookmarks';
import { itemFolderName, safeExtension, slug } from './names';
import { hms, renderReport } from './report';
import { runTool, ToolError } from './tools';
import { MANIFEST_FORMAT, type Manifest, type ManifestItem } from './manifestTypes';

export interface ExportContext {
  ffmpeg: string;
  ffprobe: string;
  user: string;
  models: { id: string; version: string }[];
}

export class ExportError extends Error {}

/** A reason to leave one bookmark out while exporting the rest. */
class Refusal extends Error {}

interface DetectionRow { t_s: number; x: number; y: number; w: number; h: number }

const DEFAULT_PAD_S = 5;
const MAX_PAD_S = 3600;
/** Errors that mean the output cannot be written at all: stop, rather than refuse item after item. */
const OUTPUT_FAILURE = /ENOSPC|No space left|EROFS|Read-only file system|EACCES|EPERM|Permission denied|EDQUOT|Disk quota/i;

export async function exportEvidence(
  db: Db, ctx: ExportContext, req: ExportRequest, onProgress?: (e: ProgressEvent) => void,
): Promise<ExportReport> {
  const padS = req.padS ?? DEFAULT_PAD_S;
  if (!Number.isFinite(padS) || padS < 0 || padS > MAX_PAD_S) throw new ExportError(`padding must be between 0 and ${MAX_PAD_S} seconds, got ${String(req.padS)}`);
  if (typeof req.outDir !== 'string' || req.outDir.trim() === '') throw new ExportError('no output directory given');
  const bookmarks = selectBookmarks(db, req.bookmarks);
  // A hash or note edited behind the log's back would otherwise be "re-verified" against itself.
  const disagreements = crossCheckAudit(db);
  if (disagreements.length) throw new ExportError(`the case disagrees with its audit log, nothing was exported: ${disagreements.join('; ')}`);
  const outDir = path.resolve(req.outDir);
  const info = caseInfo(db);
  const createdAt = new Date();

  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new ExportError(`cannot create output directory ${outDir}: ${(e as Error).message}`);
  }
  const bundleName = uniqueName(outDir, `sightline-export-${slug(info.caseNumber) || 'case'}-${stamp(createdAt)}`);
  const finalDir = path.join(outDir, bundleName);
  const tempDir = path.join(outDir, `.${bundleName}.partial-${randomBytes(4).toString('hex')}`);
  try {
    fs.mkdirSync(tempDir);
  } catch (e) {
    throw new ExportError(`cannot write to output directory ${outDir}: ${(e as Error).message}`);
  }

  const emit = (videoId: number | null, file: string, phase: ProgressEvent['phase'], fraction: number, message?: string): void => {
    onProgress?.({ kind: 'export', videoId, path: file, phase, fraction, etaS: null, message });
  };

  try {
    const tools = await toolSupport(ctx.ffmpeg);
    const verifiedSources = new Map<number, string>();
    const items: ManifestItem[] = [];
    const refused: ExportReport['refused'] = [];
    for (const b of bookmarks) {
      try {
        items.push(await exportItem(db, ctx, tools, b, padS, tempDir, verifiedSources, emit));
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        refused.push({ bookmarkId: b.id, reason: e.message });
        emit(b.hit.videoId || null, b.hit.video, 'failed', 1, `bookmark ${b.id} refused: ${e.message}`);
      }
    }
    if (items.length === 0) {
      throw new ExportError(`nothing exported: every bookmark was refused (${refused.map((r) => `bookmark ${r.bookmarkId}: ${r.reason}`).join('; ')})`);
    }

    emit(null, outDir, 'writing', 0.9, 'writing report, manifest and checksums');
    const auditRows = listAuditRows(db);
    const auditVerdict = verifyAuditRows(auditRows);
    const auditFile = 'audit-log.jsonl';
    fs.writeFileSync(path.join(tempDir, auditFile), auditRows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const head = auditRows[auditRows.length - 1];
    const queries = queryTexts(db, bookmarks);

    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      formatVersion: 1,
      tool: { name: 'sightline', version: toolVersion() },
      createdAt: createdAt.toISOString(),
      user: ctx.user,
      case: { caseNumber: info.caseNumber, title: info.title, investigator: info.investigator, createdAt: info.createdAt, caseFile: info.path },
      request: { bookmarks: req.bookmarks, padS },
      models: ctx.models,
      queries,
      audit: {
        file: auditFile, entries: auditRows.length, headSeq: head?.seq ?? 0, headHash: head?.hash ?? '',
        chainVerified: auditVerdict.ok, problems: auditVerdict.problems,
      },
      items,
      refused,
      files: [],
    };

    const pdf = await renderReport(manifest, tempDir);
    fs.writeFileSync(path.join(tempDir, 'report.pdf'), pdf);

    // Hash what is on disk (after flushing it), never what we meant to write.
    manifest.files = await hashTree(tempDir, new Set(['manifest.json', 'SHA256SUMS']));
    fs.writeFileSync(path.join(tempDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    syncFile(path.join(tempDir, 'manifest.json'));
    const manifestSha = await sha256File(path.join(tempDir, 'manifest.json'));
    const sums = [...manifest.files.map((f) => ({ path: f.path, sha256: f.sha256 })), { path: 'manifest.json', sha256: manifestSha }]
      .sort((a, b) => a.path.localeCompare(b.path));
    fs.writeFileSync(path.join(tempDir, 'SHA256SUMS'), sums.map((s) => `${s.sha256}  ${s.path}\n`).join(''));
    syncFile(path.join(tempDir, 'SHA256SUMS'));

    fs.renameSync(tempDir, finalDir);
    try {
      writeTransaction(db, () => {
        appendAudit(db, ctx.user, 'export made', {
          bundle: finalDir, manifestSha256: manifestSha, bookmarks: items.map((i) => i.bookmarkId),
          refused, padS, files: manifest.files.length + 2,
        });
      });
    } catch (e) {
      // A bundle the audit log does not know about must not exist.
      fs.rmSync(finalDir, { recursive: true, force: true });
      throw new ExportError(`export written but the audit entry failed, so ${finalDir} was removed: ${(e as Error).message}`);
    }
    emit(null, finalDir, 'done', 1, `${items.length} item(s) exported to ${finalDir}`);
    return { bundleDir: finalDir, items: items.length, refused };
  } catch (e) {
    fs.rmSync(tempDir, { recursive: true, force: true });
    if (e instanceof ExportError) throw e;
    throw new ExportError(`export to ${outDir} failed, nothing was written: ${(e as Error).message}`);
  }
}

function selectBookmarks(db: Db, which: ExportRequest['bookmarks']): Bookmark[] {
  const all = listBookmarks(db);
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

interface ToolSupport { drawtext: boolean; fontFile: string | null; h264: string }

async function toolSupport(ffmpeg: string): Promise<ToolSupport> {
  const filters = (await runTool(ffmpeg, ['-hide_banner', '-filters'], 30_000)).stdout;
  const encoders = (await runTool(ffmpeg, ['-hide_banner', '-encoders'], 30_000)).stdout;
  if (!/\sdrawbox\s/.test(filters)) throw new ExportError(`${ffmpeg} lacks the drawbox filter needed for annotated clips`);
  const h264 = ['libx264', 'libopenh264', 'h264_videotoolbox', 'h264_mf'].find((e) => new RegExp(`\\s${e}\\s`).test(encoders));
  if (!h264) throw new ExportError(`${ffmpeg} has no H.264 encoder (libx264 or libopenh264) for annotated clips`);
  return { drawtext: /\sdrawtext\s/.test(filters), fontFile: findFont(), h264 };
}

/** A TrueType font drawtext can use; null falls back to fontconfig's "Sans". */
function findFont(): string | null {
  const candidates = [
    '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
    '/usr/share/fonts/dejavu/DejaVuSansMono.ttf',
    '/System/Library/Fonts/Menlo.ttc',
    '/Library/Fonts/Arial.ttf',
    'C:/Windows/Fonts/consola.ttf',
    'C:/Windows/Fonts/arial.ttf',
  ];
  // Only plain paths: anything else would need filter-graph escaping we do not want to get wrong.
  return candidates.find((f) => /^([A-Za-z]:)?[A-Za-z0-9/._ -]+$/.test(f) && fs.existsSync(f)) ?? null;
}

type Emit = (videoId: number | null, file: string, phase: ProgressEvent['phase'], fraction: number, message?: string) => void;

async function exportItem(
  db: Db, ctx: ExportContext, tools: ToolSupport, b: Bookmark, padS: number, bundleDir: string,
  verified: Map<number, string>, emit: Emit,
): Promise<ManifestItem> {
  const s = sightingRow(db, b.sightingId);
  if (!s) throw new Refusal(`sighting ${b.sightingId} or its video is no longer in the case`);
  const v = videoRow(db, s.video_id);
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
    const original = await cutOriginal(ctx, v, winStart, winEnd, dir);

    emit(v.id, src, 'writing', 0.45, `bookmark ${b.id}: encoding the annotated clip`);
    const detections = db.prepare('SELECT t_s, x, y, w, h FROM detections WHERE sighting_id = ? ORDER BY t_s').all(s.id) as DetectionRow[];
    const annotatedName = 'clip-annotated.mp4';
    const timestampBurnedIn = await encodeAnnotated(ctx, tools, v, s, detections, winStart, winEnd, clockBase, path.join(dir, annotatedName));

    emit(v.id, src, 'writing', 0.75, `bookmark ${b.id}: snapshots`);
    const frameTime = Math.max(0, s.best_s - (v.fps > 0 ? 0.5 / v.fps : 0));
    await runTool(ctx.ffmpeg, ['-v', 'error', '-nostdin', '-y', '-ss', secs(frameTime), '-i', fileUrl(src), '-frames:v', '1', '-update', '1', path.join(dir, 'frame.png')]);
    const boxFilter = drawbox(bbox, v.width);
    const stampText = snapshotStamp(s.best_s, wallClock(v.true_start_time, v.creation_time, s.best_s));
    const snapFilter = tools.drawtext ? `${boxFilter},${drawtextStatic(tools, stampText, v.width, v.height)}` : boxFilter;
    await runTool(ctx.ffmpeg, ['-v', 'error', '-nostdin', '-y', '-ss', secs(frameTime), '-i', fileUrl(src), '-frames:v', '1', '-update', '1', '-vf', snapFilter, path.join(dir, 'frame-annotated.png')]);
    await runTool(ctx.ffmpeg, ['-v', 'error', '-nostdin', '-y', '-i', fileUrl(path.join(dir, 'frame-annotated.png')), '-vf', 'scale=640:-2', '-q:v', '3', '-frames:v', '1', '-update', '1', path.join(dir, 'thumbnail.jpg')]);
    for (const f of ['frame.png', 'frame-annotated.png', 'thumbnail.jpg']) {
      if (!fs.existsSync(path.join(dir, f)) || fs.statSync(path.join(dir, f)).size === 0) throw new Refusal(`ffmpeg wrote no ${f} at ${s.best_s.toFixed(3)} s of ${src}`);
    }

    // The original must still be the one we hashed: a file replaced while we cut is refused too.
    const after = statOrNull(src);
    if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new Refusal(`source video changed while it was being exported: ${src}`);
    }
    emit(v.id, src, 'done', 1, `bookmark ${b.id}: done`);

    return {
      bookmarkId: b.id, sightingId: s.id, note: b.note, query: b.query, score: b.score,
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
      files: {
        originalClip: { path: rel(original.name), container: original.container, requestedStartS: round(winStart), requestedEndS: round(winEnd), actualStartS: original.startS, actualEndS: original.endS, streamCopy: true },
        annotatedClip: { path: rel(annotatedName), startS: round(winStart), endS: round(winEnd), codec: 'h264', timestampBurnedIn, clock: clockBase ? 'wall-clock UTC and source time' : 'source time' },
        snapshot: { path: rel('frame.png'), timeS: s.best_s, width: v.width, height: v.height },
        snapshotAnnotated: { path: rel('frame-annotated.png'), timeS: s.best_s },
        thumbnail: { path: rel('thumbnail.jpg') },
      },
    };
  } catch (e) {
    if (e instanceof ToolError && !OUTPUT_FAILURE.test(e.message)) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Refusal(`could not cut ${src}: ${e.message}`);
    }
    if (e instanceof Refusal) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function statOrNull(file: string): fs.Stats | null {
  try { return fs.statSync(file); } catch { return null; }
}

/** Refuses an original that is missing, or whose bytes are not the ones imported (size, then SHA-256). */
async function checkSource(v: VideoRow, verified: Map<number, string>): Promise<fs.Stats> {
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

interface Packet { pts: number; end: number; key: boolean }

async function videoPackets(ffprobe: string, file: string, interval?: string): Promise<Packet[]> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time,duration_time,flags', '-of', 'json'];
  if (interval) args.push('-read_intervals', interval);
  const { stdout } = await runTool(ffprobe, [...args, fileUrl(file)]);
  const parsed = JSON.parse(stdout) as { packets?: { pts_time?: string; dts_time?: string; duration_time?: string; flags?: string }[] };
  const out: Packet[] = [];
  for (const p of parsed.packets ?? []) {
    // AVI and some raw streams carry no pts: the decode time is then the presentation time.
    const t = Number(p.pts_time ?? p.dts_time);
    if (!Number.isFinite(t)) continue;
    const d = Number(p.duration_time);
    out.push({ pts: t, end: Number.isFinite(d) && d > 0 ? t + d : NaN, key: (p.flags ?? '').includes('K') });
  }
  // A container that stores no packet durations (AVI): a frame lasts the typical gap between frames.
  const times = out.map((p) => p.pts).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]).filter((g) => g > 0).sort((a, b) => a - b);
  const typical = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
  for (const p of out) if (Number.isNaN(p.end)) p.end = p.pts + typical;
  return out;
}

async function formatStart(ffprobe: string, file: string): Promise<number> {
  const { stdout } = await runTool(ffprobe, ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', fileUrl(file)]);
  const n = Number(stdout.trim());
  return Number.isFinite(n) ? n : 0;
}

/**
 * Stream-copies [keyframe at or before start, end] into the original container. A copy can only
 * begin on a keyframe, so we pick that keyframe ourselves and record where the cut really starts
 * and ends, measured with ffprobe on the written file.
 */
async function cutOriginal(ctx: ExportContext, v: VideoRow, start: number, end: number, dir: string): Promise<{ name: string; container: string; startS: number; endS: number }> {
  const t0 = await formatStart(ctx.ffprobe, v.path);
  const from = Math.max(0, start - 60);
  const keys = (await videoPackets(ctx.ffprobe, v.path, `${secs(t0 + from)}%${secs(t0 + start + 0.5)}`)).filter((p) => p.key).map((p) => p.pts - t0);
  const eligible = keys.filter((k) => k <= start + 1e-3);
  const keyframe = eligible.length ? Math.max(...eligible) : 0;

  const ext = safeExtension(v.file_name);
  const attempts = ext ? [ext, 'mkv'] : ['mkv'];
  let lastError: Error | null = null;
  for (const container of [...new Set(attempts)]) {
    const name = `clip-original.${container}`;
    const out = path.join(dir, name);
    try {
      await runTool(ctx.ffmpeg, [
        '-v', 'error', '-nostdin', '-y', '-ss', secs(keyframe + 0.001), '-i', fileUrl(v.path), '-t', secs(end - keyframe),
        '-map', '0:v:0', '-map', '0:a?', '-c', 'copy', '-sn', '-dn', '-avoid_negative_ts', 'make_zero', out,
      ]);
      const packets = await videoPackets(ctx.ffprobe, out);
      if (packets.length === 0) throw new ToolError(`the cut of ${v.path} holds no video`);
      const first = Math.min(...packets.map((p) => p.pts));
      const last = Math.max(...packets.map((p) => p.end));
      const firstPacket = packets.find((p) => p.pts === first)!;
      if (!firstPacket.key) throw new ToolError(`the cut of ${v.path} does not begin on a keyframe`);
      return { name, container, startS: round(keyframe, 6), endS: round(keyframe + (last - first), 6) };
    } catch (e) {
      fs.rmSync(out, { force: true });
      if (OUTPUT_FAILURE.test((e as Error).message)) throw e;
      lastError = e as Error;
    }
  }
  throw lastError ?? new ToolError(`cannot stream-copy ${v.path}`);
}

function drawbox(b: BBox, videoWidth: number, enable?: string): string {
  const t = Math.max(2, Math.round(videoWidth / 320));
  return `drawbox=x=${b[0]}:y=${b[1]}:w=${b[2]}:h=${b[3]}:color=red@1:t=${t}${enable ? `:enable='${enable}'` : ''}`;
}

function fontOption(tools: ToolSupport): string {
  if (!tools.fontFile) return "font='Sans'";
  return `fontfile='${tools.fontFile.replace(/^([A-Za-z]):/, '$1\\:')}'`;
}

/** Font size that keeps a line of `chars` monospace characters inside the frame (~0.6 em per glyph). */
function textSize(width: number, height: number, chars: number): number {
  return Math.max(8, Math.floor(Math.min(height / 24, (width - 24) / (0.62 * chars))));
}

/** Fixed text (digits, letters, '-', '.', ':' only) for a still frame. */
function drawtextStatic(tools: ToolSupport, text: string, width: number, height: number): string {
  const safe = text.replace(/[^A-Za-z0-9 .:()-]/g, '').replace(/:/g, '\\:');
  return `drawtext=${fontOption(tools)}:fontsize=${textSize(width, height, safe.length)}:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=4:x=8:y=h-th-8:text='${safe}'`;
}

function snapshotStamp(timeS: number, wall: string | null): string {
  return `SRC ${hms(timeS)}${wall ? `  UTC ${wall.replace('T', ' ').replace('Z', '')}` : ''}`;
}

/**
 * Re-encodes [start, end] frame-accurately to H.264 with the sighting's box drawn on each frame
 * where a detection holds it, and the running source time (and wall-clock time, when known) burned in.
 */
async function encodeAnnotated(
  ctx: ExportContext, tools: ToolSupport, v: VideoRow, s: SightingRow, detections: DetectionRow[],
  start: number, end: number, clockBase: string | null, out: string,
): Promise<boolean> {
  const filters: string[] = [];
  const spans = detections.length
    ? detections.map((d, i) => ({ from: d.t_s, to: detections[i + 1]?.t_s ?? Math.max(d.t_s, s.end_s) + 0.5, box: [d.x, d.y, d.w, d.h].map(Math.round) as BBox }))
    : [{ from: s.start_s, to: s.end_s + 0.5, box: toBBox(s) }];
  for (const sp of spans.slice(0, 5000)) {
    const a = sp.from - start;
    const b = sp.to - start;
    if (b < 0 || a > end - start) continue;
    filters.push(drawbox(sp.box, v.width, `between(t,${secs(a)},${secs(b)})`));
  }
  if (tools.drawtext) {
    const size = textSize(v.width, v.height, 24); // "UTC 2026-03-14 09:30:01" is the longer line
    const common = `${fontOption(tools)}:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=4:x=8`;
    filters.push(`drawtext=${common}:y=h-th-8:text='SRC %{pts\\:hms\\:${secs(start)}}'`);
    if (clockBase) {
      const epoch = Date.parse(clockBase) / 1000 + start;
      filters.push(`drawtext=${common}:y=8:text='UTC %{pts\\:gmtime\\:${epoch.toFixed(3)}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}'`);
    }
  }
  const script = path.join(path.dirname(out), '.filters.txt');
  fs.writeFileSync(script, filters.length ? filters.join(',\n') : 'null');
  try {
    const encoder = tools.h264 === 'libx264' ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18'] : ['-c:v', tools.h264, '-b:v', '8M'];
    await runTool(ctx.ffmpeg, [
      '-v', 'error', '-nostdin', '-y', '-ss', secs(start), '-i', fileUrl(v.path), '-t', secs(end - start),
      '-filter_script:v', script, '-map', '0:v:0', '-map', '0:a?', ...encoder, '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-movflags', '+faststart', out,
    ]);
  } finally {
    fs.rmSync(script, { force: true });
  }
  return tools.drawtext;
}

/** Texts of the searches behind the exported bookmarks, and every search run in the case. */
function queryTexts(db: Db, bookmarks: Bookmark[]): string[] {
  const texts = new Set<string>();
  for (const b of bookmarks) if (b.query) texts.add(b.query);
  const rows = db.prepare("SELECT details FROM audit_log WHERE action LIKE '%search%' ORDER BY seq").all() as { details: string }[];
  for (const r of rows) {
    try {
      const d = JSON.parse(r.details) as Record<string, unknown>;
      for (const k of ['text', 'query']) if (typeof d[k] === 'string' && (d[k] as string).trim()) texts.add(d[k] as string);
    } catch { /* an unparsable entry is reported by the audit check, not here */ }
  }
  return [...texts];
}

/** Every file under dir (relative, '/'-separated), flushed to disk, with its SHA-256 and size. */
async function hashTree(dir: string, skip: Set<string>): Promise<{ path: string; sha256: string; size: number }[]> {
  const out: { path: string; sha256: string; size: number }[] = [];
  const walk = async (sub: string): Promise<void> => {
    for (const ent of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = sub ? `${sub}/${ent.name}` : ent.name;
      if (ent.isDirectory()) { await walk(rel); continue; }
      if (skip.has(rel)) continue;
      const abs = path.join(dir, rel);
      syncFile(abs);
      out.push({ path: rel, sha256: await sha256File(abs), size: fs.statSync(abs).size });
    }
  };
  await walk('');
  return out;
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

function uniqueName(dir: string, base: string): string {
  let name = base;
  for (let i = 2; fs.existsSync(path.join(dir, name)); i++) name = `${base}-${i}`;
  return name;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

let cachedVersion: string | null = null;
/** Version from the app's package.json (found by walking up from this file; works in dist and asar). */
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = __dirname;
  for (;;) {
    const p = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sightline' && pkg.version) return (cachedVersion = pkg.version);
    } catch { /* keep looking */ }
    const up = path.dirname(dir);
    if (up === dir) return (cachedVersion = 'unknown');
    dir = up;
  }
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const secs = (x: number): string => Math.max(0, x).toFixed(6);
