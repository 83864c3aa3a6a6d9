// A real, throw-away PostgreSQL server for tests: initdb in a temp folder, postgres on 127.0.0.1 on a
// free port (password auth over TCP, scram-sha-256), stopped and removed afterwards. Run as root, the
// server runs as the `postgres` user (it refuses root) and the temp folder is handed to that user.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

export interface TestPostgres {
  port: number;
  /** postgres://<role>:<password>@127.0.0.1:<port>/<db> */
  url(role: string, password: string, db: string): string;
  /** Runs SQL as the superuser on `db`. */
  sql(db: string, text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  stop(): void;
}

const SUPER_PASSWORD = 'sl-test-superuser-pw';

/** The PostgreSQL binaries folder (PG_BIN, or Debian's /usr/lib/postgresql/<newest>/bin); null when absent. */
export function postgresBin(): string | null {
  const candidates = [process.env.PG_BIN ?? ''];
  try {
    for (const v of fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch { /* not Debian's layout */ }
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl'))) ?? null;
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresSkipReason(): string | null {
  return postgresBin() ? null : 'PostgreSQL server binaries not found (apt-get install postgresql-15, or set PG_BIN to the folder holding initdb and pg_ctl)';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error(postgresSkipReason()!);
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-pg-'));
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, `${SUPER_PASSWORD}\n`, { mode: 0o600 });
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
    fs.chownSync(pwfile, uid, gid);
  }
  const run = (exe: string, args: string[]): void => {
    const cmd = root ? ['runuser', ['-u', 'postgres', '--', path.join(bin, exe), ...args]] as const : [path.join(bin, exe), args] as const;
    execFileSync(cmd[0], [...cmd[1]], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  run('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', path.join(dir, 'log'), '-o', opts]);
  let stopped = false;
  const url = (role: string, password: string, db: string): string => `postgres://${encodeURIComponent(role)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  return {
    port, url,
    async sql(db, text, values) {
      const c = new Client({ connectionString: url('postgres', SUPER_PASSWORD, db) });
      await c.connect();
      try { return (await c.query(text, values)).rows; } finally { await c.end(); }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try { run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']); } catch { /* already gone */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
