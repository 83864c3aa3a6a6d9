// Append-only, hash-chained audit log: each entry's hash covers the previous hash, so editing or
// deleting any entry breaks every hash after it (and triggers in the schema refuse edits outright).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../contract';

const GENESIS = '0'.repeat(64);
/** meta key holding "seq:hash" of the newest entry. */
const HEAD_KEY = 'audit_head';

/** An audit_log row exactly as stored (details is the JSON text the hash covers). */
export interface AuditRow { seq: number; at: string; user: string; action: string; details: string; prev_hash: string; hash: string }
type Row = AuditRow;

function entryHash(prevHash: string, seq: number, at: string, user: string, action: string, details: string): string {
  return createHash('sha256').update(JSON.stringify([prevHash, seq, at, user, action, details])).digest('hex');
}

/** Appends one entry; call inside the transaction that makes the change it records. */
export function appendAudit(db: Database.Database, user: string, action: string, details: Record<string, unknown>): AuditEntry {
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

/** Recomputes the chain; reports every entry that was edited, removed or reordered. */
export function verifyAudit(db: Database.Database): AuditVerdict {
  const rows = listAuditRows(db);
  const verdict = verifyAuditRows(rows);
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
