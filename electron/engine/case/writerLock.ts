// One writer per case: indexing (from the app or the CLI) holds the case's writer lock, a row in the
// case file naming its owner (PID, host, start) with a heartbeat. A lock whose owner is a dead process
// on this host, or whose heartbeat stopped, is stale and is taken over inside a BEGIN IMMEDIATE
// transaction, so two processes can never both believe they hold it. Readers never need it.
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { CaseError, Db, writeTransaction } from './caseFile';

export class CaseBusyError extends CaseError {}

interface LockRow { token: string; pid: number; host: string; since: string; heartbeat_at: string }

/** Heartbeat period, and how long a silent owner on another host is trusted. */
export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 60_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(row: LockRow, now: number, staleAfterMs: number): boolean {
  if (row.host === os.hostname() && !pidAlive(row.pid)) return true;
  const beat = Date.parse(row.heartbeat_at);
  return !Number.isFinite(beat) || now - beat > staleAfterMs;
}

export function describeOwner(db: Db, row: LockRow): string {
  return `case ${db.name} is being indexed by PID ${row.pid} on ${row.host} since ${row.since}`;
}

export class WriterLock {
  private timer: NodeJS.Timeout;
  private constructor(private readonly db: Db, readonly token: string) {
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Takes the case's writer lock, or throws CaseBusyError naming the live owner. */
  static acquire(db: Db, opts: { staleAfterMs?: number } = {}): WriterLock {
    const token = randomUUID();
    writeTransaction(db, () => {
      const cur = db.prepare('SELECT token, pid, host, since, heartbeat_at FROM writer_lock WHERE id = 1').get() as LockRow | undefined;
      if (cur && !isStale(cur, Date.now(), opts.staleAfterMs ?? STALE_AFTER_MS)) throw new CaseBusyError(describeOwner(db, cur));
      const now = new Date().toISOString();
      db.prepare('INSERT OR REPLACE INTO writer_lock(id, token, pid, host, since, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)')
        .run(token, process.pid, os.hostname(), now, now);
    });
    return new WriterLock(db, token);
  }

  private beat(): void {
    try {
      this.db.prepare('UPDATE writer_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(new Date().toISOString(), this.token);
    } catch {
      /* a busy moment: the next beat retries, and staleness allows many missed beats */
    }
  }

  /** Call inside each write transaction: a writer whose lock was taken over (it was stalled past the staleness limit) stops. */
  assertHeld(): void {
    const cur = this.db.prepare('SELECT token, pid, host, since, heartbeat_at FROM writer_lock WHERE id = 1').get() as LockRow | undefined;
    if (cur?.token !== this.token) {
      throw new CaseBusyError(cur ? `lost the writer lock: ${describeOwner(this.db, cur)}` : `lost the writer lock of case ${this.db.name}`);
    }
  }

  release(): void {
    clearInterval(this.timer);
    try {
      this.db.prepare('DELETE FROM writer_lock WHERE id = 1 AND token = ?').run(this.token);
    } catch {
      /* left behind, it is stale as soon as this process is gone */
    }
  }
}
