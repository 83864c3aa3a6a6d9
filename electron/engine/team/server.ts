// The team server's address: a PostgreSQL connection string (libpq style, sslmode passes through to
// node-postgres). It comes from --server or SIGHTLINE_SERVER; the password best from PGPASSWORD,
// ~/.pgpass or the terminal (cli/password.ts). Whatever carries it, it is never written anywhere:
// messages show `redact`ed forms only.
import { Client, Pool, type PoolClient } from 'pg';

export class ServerError extends Error {}

/** The connection string as it may be shown: no password, no user-info secrets, no password= parameter. */
export function redact(conn: string): string {
  return conn
    .replace(/(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&]*/i, '$1***');
}

/** Removes `secret` (the connection string, and its password) from a message before it is shown or logged. */
export function scrub(message: string, conn: string): string {
  let out = message.split(conn).join(redact(conn));
  const pw = passwordOf(conn);
  if (pw) out = out.split(pw).join('***');
  if (process.env.PGPASSWORD) out = out.split(process.env.PGPASSWORD).join('***');
  return out;
}

function passwordOf(conn: string): string | null {
  try {
    const u = new URL(conn);
    return u.password ? decodeURIComponent(u.password) : u.searchParams.get('password');
  } catch {
    return null;
  }
}

/** The connection string given on the command line, else SIGHTLINE_SERVER; null when neither. */
export function serverFrom(arg: string | undefined): string | null {
  const s = arg ?? process.env.SIGHTLINE_SERVER;
  return s && s.trim() ? s.trim() : null;
}

/**
 * node-postgres leaves the socket open after an error while connecting when the error is its own (no
 * password to give when the server asks for one): the server then holds the connection until its
 * authentication_timeout (60 s by default), and a command that has already reported the error cannot
 * exit. Closing the socket on any error while connecting ends it at once.
 */
class ClosingClient extends Client {
  _handleErrorWhileConnecting(err: Error): void {
    (Client.prototype as unknown as { _handleErrorWhileConnecting(e: Error): void })._handleErrorWhileConnecting.call(this, err);
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

/** A failure to reach or open the team case, its message scrubbed of the password and said plainly. */
export function connectError(e: unknown, conn: string): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (/client password must be a string/i.test(message)) {
    return new ServerError('the server asks for a password and none was given: put it in PGPASSWORD or ~/.pgpass, or run the command at a terminal to be asked for it');
  }
  return new Error(scrub(message, conn));
}

export function openPool(conn: string, max = 4): Pool {
  if (!/^postgres(ql)?:\/\//i.test(conn)) throw new ServerError(`--server: expected a postgres:// connection string, got "${redact(conn)}"`);
  const pool = new Pool({ connectionString: conn, max, application_name: 'sightline', Client: ClosingClient });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in one transaction on one pooled client; rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(begin);
    const r = await fn(c);
    await c.query('COMMIT');
    return r;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** Runs reads in one snapshot: rows a colleague commits meanwhile are seen by all of them or by none. */
export function inSnapshot<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}
