// Turns what the investigator dropped (files and folders) into the list of files to import.
// Explicit files are always tried (a camera export may have any extension); inside folders only
// video-looking names are taken, so a folder of footage plus notes and logs imports cleanly.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ScanFailure {
  path: string;
  reason: string;
}

export interface ScanResult {
  files: string[];
  failures: ScanFailure[];
}

export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  'mp4', 'm4v', 'mov', 'qt', 'avi', 'mkv', 'mts', 'm2ts', 'ts', 'mpg', 'mpeg', 'm2v', 'vob', 'wmv', 'asf',
  'flv', 'webm', '3gp', '3g2', 'ogv', 'mxf', 'divx', 'xvid', 'dv',
  // raw/elementary streams and DVR exports
  'dav', 'h264', '264', 'h265', '265', 'hevc', 'avc', 'mjpeg', 'mjpg', 'ps', 'ifv', 'sec', 'g64', 'mp2',
]);

export function isVideoName(name: string): boolean {
  const ext = path.extname(name).slice(1).toLowerCase();
  return VIDEO_EXTENSIONS.has(ext);
}

function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable (permission denied)';
  if (code === 'ELOOP') return 'symbolic link loop';
  if (code === 'ENAMETOOLONG') return 'path too long for this system';
  return (e as Error).message;
}

// Byte-wise order, so the result does not depend on the platform's locale.
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Expands files and folders (recursively, sorted, each real folder visited once) into candidate files. */
export async function scanPaths(inputs: readonly string[]): Promise<ScanResult> {
  const files: string[] = [];
  const failures: ScanFailure[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();

  const addFile = (p: string, real: string) => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(p);
  };

  async function walk(dir: string): Promise<void> {
    let real: string;
    try {
      real = await fs.promises.realpath(dir);
    } catch (e) {
      failures.push({ path: dir, reason: reasonOf(e) });
      return;
    }
    if (seenDirs.has(real)) return; // symlink loop or the same folder given twice
    seenDirs.add(real);
    let entries: string[];
    try {
      entries = await fs.promises.readdir(dir);
    } catch (e) {
      failures.push({ path: dir, reason: reasonOf(e) });
      return;
    }
    entries.sort(byName);
    for (const name of entries) {
      const p = path.join(dir, name);
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(p); // follows links; a dangling link fails here
      } catch (e) {
        if (isVideoName(name)) failures.push({ path: p, reason: reasonOf(e) });
        continue;
      }
      if (st.isDirectory()) await walk(p);
      else if (st.isFile() && isVideoName(name)) {
        try {
          await fs.promises.access(p, fs.constants.R_OK);
          addFile(p, await fs.promises.realpath(p));
        } catch (e) {
          failures.push({ path: p, reason: reasonOf(e) });
        }
      }
    }
  }

  for (const input of inputs) {
    const p = path.resolve(input);
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch (e) {
      failures.push({ path: p, reason: reasonOf(e) });
      continue;
    }
    if (st.isDirectory()) await walk(p);
    else {
      let real = p;
      try {
        real = await fs.promises.realpath(p);
      } catch {
        /* stat worked; keep the given path */
      }
      addFile(p, real);
    }
  }
  return { files, failures };
}
