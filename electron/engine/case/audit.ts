// Append-only, hash-chained audit log: each entry's hash covers the previous hash, so editing or
// deleting any entry breaks every hash after it (and triggers in the schema refuse edits outright).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../contract';

const GENESIS = '0'.repeat(64);

interface Row { seq: number; at: string; user: string; action: string; details: string; prev_hash: string; hash: string }

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
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
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
