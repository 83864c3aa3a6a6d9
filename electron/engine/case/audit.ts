// Append-only, hash-chained audit log: each entry's hash covers the previous hash, so editing or
// deleting any entry breaks every hash after it (and triggers in the schema refuse edits outright).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../contract';
import { schemaProblems } from './integrity';
import { allVideoRows } from './videos';

export const GENESIS = '0'.repeat(64);
/** meta key holding "seq:hash" of the newest entry. */
const HEAD_KEY = 'audit_head';

/** An audit_log row exactly as stored (details is the JSON text the hash covers). */
export interface AuditRow { seq: number; at: string; user: string; action: string; details: string; prev_hash: string; hash: string }
type Row = AuditRow;

/** The chain's hash of one entry: also what a team case (team/pgStore.ts) appends and checks. */
export function entryHash(prevHash: string, seq: number, at: string, user: string, action: string, details: string): string {
  return createHash('sha256').update(JSON.stringify([prevHash, seq, at, user, action, details])).digest('hex');
}

/**
 * Appends one entry; call inside the (immediate) transaction that makes the change it records. Outside
 * one, two processes would both read the same last seq and collide on the next.
 */
export function appendAudit(db: Database.Database, user: string, action: string, details: Record<string, unknown>): AuditEntry {
  if (!db.inTransaction) throw new Error(`audit entry "${action}" must be appended inside the transaction of the change it records`);
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prev = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const json = JSON.stringify(details);
  const hash = entryHash(prev, seq, at, user, action, json);
  db.prepare('INSERT INTO audit_log(seq, at, user, action, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?)').run(seq, at, user, action, json, prev, hash);
  // The chain alone cannot show that its last entries were cut off; the head kept beside it can.
  db.prepare(`INSERT INTO meta(key, value) VALUES ('${HEAD_KEY}', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(`${seq}:${hash}`);
  return { seq, at, user, action, details, hash };
}

export function listAudit(db: Database.Database): AuditEntry[] {
  return (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[]).map((r) => ({
    seq: r.seq, at: r.at, user: r.user, action: r.action, details: JSON.parse(r.details) as Record<string, unknown>, hash: r.hash,
  }));
}

export interface AuditVerdict { ok: boolean; entries: number; problems: string[] }

/**
 * Recomputes the chain; reports every entry that was edited, removed or reordered, a schema altered
 * behind Sightline's back, and case rows the log disagrees with (video hashes, bookmark notes).
 */
export function verifyAudit(db: Database.Database): AuditVerdict {
  const rows = listAuditRows(db);
  const verdict = verifyAuditRows(rows);
  for (const p of schemaProblems(db)) verdict.problems.push(`schema: ${p}`);
  verdict.problems.push(...crossCheckAudit(db, rows));
  verdict.ok = verdict.problems.length === 0;
  const head = db.prepare('SELECT value FROM meta WHERE key = ?').get(HEAD_KEY) as { value: string } | undefined;
  const last = rows[rows.length - 1];
  if (head && head.value !== (last ? `${last.seq}:${last.hash}` : '')) {
    const seq = Number(head.value.split(':')[0]);
    verdict.problems.push(last && seq > last.seq
      ? `entries ${last.seq + 1}..${seq} missing at the end of the log (deleted)`
      : `newest entry does not match the recorded head of the log (${head.value.slice(0, 20)}...)`);
    verdict.ok = false;
  }
  return verdict;
}

/** Every row as stored, in order — what an exported copy of the log contains. */
export function listAuditRows(db: Database.Database): AuditRow[] {
  return db.prepare('SELECT seq, at, user, action, details, prev_hash, hash FROM audit_log ORDER BY seq').all() as AuditRow[];
}

/** The chain check on rows from anywhere (the case file, or a copy exported with evidence). */
export function verifyAuditRows(rows: AuditRow[]): AuditVerdict {
  const problems: string[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq) problems.push(`entry ${expectedSeq}${r.seq > expectedSeq + 1 ? `..${r.seq - 1}` : ''} missing (deleted)`);
    if (r.prev_hash !== prev) problems.push(`entry ${r.seq}: does not follow the entry before it`);
    const h = entryHash(r.prev_hash, r.seq, r.at, r.user, r.action, r.details);
    if (h !== r.hash) problems.push(`entry ${r.seq} (${r.action}): content altered`);
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  return { ok: problems.length === 0, entries: rows.length, problems };
}

/**
 * The case's rows against what the log recorded: the log begins with "case created" (and is not empty
 * in a case with content), each video's SHA-256 is the one logged at import, each bookmark's note is
 * the last one logged for it. Editing a row without the app (or planting a trigger that does) shows here.
 */
export function crossCheckAudit(db: Database.Database, rows: AuditRow[] = listAuditRows(db)): string[] {
  const bookmarks = db.prepare('SELECT id, note FROM bookmarks ORDER BY id').all() as { id: number; note: string }[];
  return crossCheckRows(rows, { videos: allVideoRows(db), bookmarks });
}

/** The rows the audit log vouches for: each video's SHA-256 and each bookmark's note. */
export interface AuditedRows { videos: { id: number; path: string; sha256: string }[]; bookmarks: { id: number; note: string }[] }

/** crossCheckAudit on rows from either backend (a team case gives its own videos and bookmarks). */
export function crossCheckRows(rows: AuditRow[], { videos, bookmarks }: AuditedRows): string[] {
  const problems: string[] = [];
  if (rows.length === 0) {
    if (videos.length || bookmarks.length) problems.push(`the audit log is empty but the case holds ${videos.length} video(s) and ${bookmarks.length} bookmark(s) (entries deleted)`);
    return problems;
  }
  if (rows[0].action !== 'case created') problems.push(`the audit log does not begin with "case created" (its first entry is "${rows[0].action}")`);
  const imported = new Map<number, { sha256?: unknown; path?: unknown }>();
  const notes = new Map<number, string | null>();
  for (const r of rows) {
    let d: Record<string, unknown>;
    try { d = JSON.parse(r.details) as Record<string, unknown>; } catch { continue; }
    if (r.action === 'video imported' && typeof d.videoId === 'number') imported.set(d.videoId, { sha256: d.sha256, path: d.path });
    if ((r.action === 'bookmark added' || r.action === 'bookmark edited') && typeof d.bookmarkId === 'number') notes.set(d.bookmarkId, String(d.note ?? ''));
    if (r.action === 'bookmark removed' && typeof d.bookmarkId === 'number') notes.set(d.bookmarkId, null);
  }
  for (const v of videos) {
    const e = imported.get(v.id);
    if (!e) problems.push(`video ${v.id} (${v.path}) has no "video imported" entry in the audit log`);
    else if (e.sha256 !== v.sha256) problems.push(`video ${v.id} (${v.path}): SHA-256 ${v.sha256} in the case differs from ${String(e.sha256)} recorded at import`);
  }
  const present = new Set<number>();
  for (const b of bookmarks) {
    present.add(b.id);
    if (!notes.has(b.id)) problems.push(`bookmark ${b.id} has no "bookmark added" entry in the audit log`);
    else if (notes.get(b.id) === null) problems.push(`bookmark ${b.id} was removed according to the audit log but is in the case`);
    else if (notes.get(b.id) !== b.note) problems.push(`bookmark ${b.id}: its note differs from the last note recorded in the audit log`);
  }
  for (const [id, note] of notes) if (note !== null && !present.has(id)) problems.push(`bookmark ${id} is in the audit log but missing from the case (deleted without an entry)`);
  return problems;
}
