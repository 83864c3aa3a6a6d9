// Identity of an original: SHA-256 of its bytes, streamed (files are many GB) and opened read-only.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

/** Hex SHA-256 of the file's contents. */
export function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = fs.createReadStream(file, { flags: 'r', highWaterMark: 1 << 20, signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/** The same, synchronously, in 1 MiB reads (model checks and bundle verification, off any UI thread). */
export function sha256FileSync(file: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}
