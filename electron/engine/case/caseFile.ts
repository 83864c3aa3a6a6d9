// The SQLite case file: one file per investigation, WAL mode, migrated on open.
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaseInfo, CreateCaseRequest } from '../contract';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { appendAudit } from './audit';

export type Db = Database.Database;

export class CaseError extends Error {}

/** Opens (and migrates) an existing case file, or creates the schema in a new one. */
export function openDb(file: string, opts: { create?: boolean; readonly?: boolean } = {}): Db {
  const abs = path.resolve(file);
  if (!opts.create && !fs.existsSync(abs)) throw new CaseError(`${abs}: no such case file`);
  if (opts.create) fs.mkdirSync(path.dirname(abs), { recursive: true });
  let db: Db;
  try {
    db = new Database(abs, { readonly: !!opts.readonly, fileMustExist: !opts.create });
  } catch (e) {
    throw new CaseError(`${abs}: cannot open case file (${(e as Error).message})`);
  }
  try {
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    db.pragma('synchronous = NORMAL');
    if (!opts.readonly) migrate(db);
    else if ((db.pragma('user_version', { simple: true }) as number) !== SCHEMA_VERSION) {
      throw new CaseError(`${abs}: case file is at schema version ${db.pragma('user_version', { simple: true })}, expected ${SCHEMA_VERSION}`);
    }
  } catch (e) {
    db.close();
    if (e instanceof CaseError) throw e;
    throw new CaseError(`${abs}: not a Sightline case file (${(e as Error).message})`);
  }
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new CaseError(`case file schema version ${current} is newer than this Sightline (${SCHEMA_VERSION})`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export function evidenceDirFor(caseFile: string): string {
  const abs = path.resolve(caseFile);
  return path.join(path.dirname(abs), `${path.basename(abs).replace(/\.[^.]+$/, '')}.evidence`);
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? row.value : null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function caseInfo(db: Db): CaseInfo {
  const file = db.name;
  return {
    path: file,
    evidenceDir: evidenceDirFor(file),
    caseNumber: getMeta(db, 'case_number') ?? '',
    investigator: getMeta(db, 'investigator') ?? '',
    title: getMeta(db, 'title') ?? '',
    createdAt: getMeta(db, 'created_at') ?? '',
  };
}

/** Creates a new case file; refuses to overwrite an existing one. */
export function createCase(req: CreateCaseRequest): Db {
  const abs = path.resolve(req.path);
  if (fs.existsSync(abs)) throw new CaseError(`${abs}: a file already exists there; open it instead`);
  const db = openDb(abs, { create: true });
  db.transaction(() => {
    setMeta(db, 'case_number', req.caseNumber);
    setMeta(db, 'investigator', req.investigator);
    setMeta(db, 'title', req.title ?? '');
    setMeta(db, 'created_at', new Date().toISOString());
    appendAudit(db, req.investigator, 'case created', { caseNumber: req.caseNumber, title: req.title ?? '' });
  })();
  return db;
}

/** Opens a case file, creating it (with empty case details) when missing — what the CLI wants. */
export function openOrCreateCase(file: string, investigator = defaultUser()): Db {
  const abs = path.resolve(file);
  if (fs.existsSync(abs)) return openDb(abs);
  return createCase({ path: abs, caseNumber: '', investigator });
}

export function defaultUser(): string {
  return process.env.SIGHTLINE_USER || process.env.USER || process.env.USERNAME || 'investigator';
}
