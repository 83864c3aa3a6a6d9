// The SQLite case file: one file per investigation. Opening checks what the file is (application id,
// schema version, schema objects, quick_check) before anything writes to it; only then is a writable
// case switched to WAL and migrated. New cases are built in a temporary file and linked into place
// with an exclusive create, so a case file either is whole or does not exist.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaseInfo, CreateCaseRequest } from '../contract';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';
import { appendAudit } from './audit';
import { classify, quickCheck, schemaProblems } from './integrity';

export type Db = Database.Database;

export class CaseError extends Error {}
/** The case file exists already (a concurrent `createCase` won the exclusive create). */
export class CaseExistsError extends CaseError {}

/** Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken first, so no reader-turned-writer races. */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** An investigator-readable reason for a SQLite or file-system error on `file`. */
export function describeDbError(e: unknown, file: string): string {
  const code = String((e as { code?: unknown }).code ?? '');
  const msg = (e as Error).message ?? String(e);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || /database or disk is full|no space left/i.test(msg)) return `disk full: cannot write ${file} (no space left in ${path.dirname(file)})`;
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return `${file} cannot be written: the case file or its folder ${path.dirname(file)} is read-only`;
  if (code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_PERM')) return `${file}: permission denied (${path.dirname(file)} or the file is not accessible to this user)`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return `${file} is locked by another process (${msg})`;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return `${file}: case file is damaged (${msg})`;
  if (code.startsWith('SQLITE_CANTOPEN')) return `${file}: cannot open the case file (folder missing, not accessible, or read-only: ${msg})`;
  if (code.startsWith('SQLITE_IOERR')) return `${file}: disk I/O error (${msg})`;
  return `${file}: ${msg}`;
}

/**
 * Opens an existing case file. Read-only opens (status, audit verify, listing) never write to the file;
 * a writable open refuses a schema that differs from Sightline's (a planted trigger would fire on our writes).
 */
export function openDb(file: string, opts: { readonly?: boolean } = {}): Db {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new CaseError(`${abs}: no such case file`);
  let db: Db;
  try {
    db = new Database(abs, { readonly: !!opts.readonly, fileMustExist: true });
  } catch (e) {
    throw new CaseError(`cannot open case: ${describeDbError(e, abs)}`);
  }
  try {
    db.pragma('busy_timeout = 10000');
    const kind = classify(db);
    if (kind.kind === 'foreign') throw new CaseError(`${abs}: not a Sightline case file (${kind.why}); it was not changed`);
    if (kind.kind === 'newer') throw new CaseError(`${abs}: case file schema version ${kind.version} is newer than this Sightline (${SCHEMA_VERSION}); open it with a newer version (the file was not changed)`);
    const damage = quickCheck(db);
    if (damage.length) throw new CaseError(`${abs}: case file is damaged (SQLite quick_check: ${damage.slice(0, 3).join('; ')})`);
    if (!opts.readonly) {
      const schema = schemaProblems(db);
      if (schema.length) throw new CaseError(`${abs}: case file schema was altered outside Sightline (${schema.join('; ')}); refusing to write to it (audit verify reports it)`);
      db.pragma('journal_mode = WAL');
      migrate(db);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (e) {
    db.close();
    if (e instanceof CaseError) throw e;
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw new CaseError(`${abs}: not a Sightline case file (not an SQLite database)`);
    if (String((e as { code?: string }).code).startsWith('SQLITE_CANTOPEN') && !writable(path.dirname(abs))) {
      throw new CaseError(`${abs}: cannot be read in place: its folder ${path.dirname(abs)} is read-only, and SQLite must create ${path.basename(abs)}-shm beside a WAL case to read it; copy the case to a writable folder`);
    }
    throw new CaseError(`cannot open case: ${describeDbError(e, abs)}`);
  }
  return db;
}

function writable(dir: string): boolean {
  try { fs.accessSync(dir, fs.constants.W_OK); return true; } catch { return false; }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < SCHEMA_VERSION; v++) {
    writeTransaction(db, () => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    });
  }
  if ((db.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
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

/** Creates a new case file; refuses to overwrite an existing one (exclusive create, also against a concurrent creator). */
export function createCase(req: CreateCaseRequest): Db {
  const abs = path.resolve(req.path);
  const dir = path.dirname(abs);
  if (fs.existsSync(abs)) throw new CaseExistsError(`${abs}: a file already exists there; open it instead`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CaseError(`cannot create case: ${describeDbError(e, abs)}`);
  }
  // Built whole under a temporary name, then linked into place: never a 0-byte or half-built case.
  const tmp = path.join(dir, `.${path.basename(abs)}.creating-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // Created by us first: the file system's own error (read-only, permission, disk full) names the cause.
    fs.closeSync(fs.openSync(tmp, 'wx'));
    const db = new Database(tmp);
    try {
      db.pragma('synchronous = FULL');
      for (const m of MIGRATIONS) db.exec(m);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      writeTransaction(db, () => {
        setMeta(db, 'case_number', req.caseNumber);
        setMeta(db, 'investigator', req.investigator);
        setMeta(db, 'title', req.title ?? '');
        setMeta(db, 'created_at', new Date().toISOString());
        appendAudit(db, req.investigator, 'case created', { caseNumber: req.caseNumber, title: req.title ?? '' });
      });
    } finally {
      db.close();
    }
    try {
      fs.linkSync(tmp, abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new CaseExistsError(`${abs}: a file already exists there; open it instead`);
      // File systems without hard links (FAT, exFAT): an exclusive copy.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV') {
        try {
          fs.copyFileSync(tmp, abs, fs.constants.COPYFILE_EXCL);
        } catch (c) {
          if ((c as NodeJS.ErrnoException).code === 'EEXIST') throw new CaseExistsError(`${abs}: a file already exists there; open it instead`);
          fs.rmSync(abs, { force: true });
          throw c;
        }
      } else throw e;
    }
  } catch (e) {
    if (e instanceof CaseError) throw e;
    throw new CaseError(`cannot create case: ${describeDbError(e, abs)}`);
  } finally {
    for (const f of [tmp, `${tmp}-journal`]) fs.rmSync(f, { force: true });
  }
  return openDb(abs);
}

/** Opens a case file, creating it (with empty case details) when missing — what the CLI wants. */
export function openOrCreateCase(file: string, investigator = defaultUser()): Db {
  const abs = path.resolve(file);
  if (fs.existsSync(abs)) return openDb(abs);
  try {
    return createCase({ path: abs, caseNumber: '', investigator });
  } catch (e) {
    if (e instanceof CaseExistsError) return openDb(abs);
    throw e;
  }
}

export function defaultUser(): string {
  return process.env.SIGHTLINE_USER || process.env.USER || process.env.USERNAME || 'investigator';
}
