// A team server's password typed at the terminal, hidden, so it need not sit in a shell's history or
// environment: asked only when the connection string names a user but no password, nothing else
// supplies one (PGPASSWORD, the password file) and a person is at the terminal (stdin and stderr are
// TTYs). Scripts and workers keep using PGPASSWORD or ~/.pgpass and are never blocked by a prompt.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** libpq's password file: PGPASSFILE, else ~/.pgpass (%APPDATA%\postgresql\pgpass.conf on Windows). */
function passwordFile(): string {
  if (process.env.PGPASSFILE) return process.env.PGPASSFILE;
  return process.platform === 'win32'
    ? path.join(process.env.APPDATA ?? os.homedir(), 'postgresql', 'pgpass.conf')
    : path.join(os.homedir(), '.pgpass');
}

/** The connection string with the typed password in it, or as given when no prompt is due. */
export async function withPromptedPassword(conn: string): Promise<string> {
  let url: URL;
  try { url = new URL(conn); } catch { return conn; }
  if (!url.username || url.password || process.env.PGPASSWORD || fs.existsSync(passwordFile())) return conn;
  if (!process.stdin.isTTY || !process.stderr.isTTY) return conn;
  const typed = await readHidden(`Password for ${decodeURIComponent(url.username)}@${url.host}: `);
  url.password = encodeURIComponent(typed);
  return url.toString();
}

/** One line from the terminal without echoing it; Ctrl-C cancels. */
function readHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error); else resolve(typed);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new Error('password prompt cancelled'));
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
