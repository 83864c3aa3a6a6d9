// Checks an evidence bundle against itself: every file's SHA-256 is recomputed and compared with
// both SHA256SUMS and manifest.json; missing, extra and changed files are all reported.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { verifyAuditRows, type AuditRow } from '../case/audit';
import type { Manifest } from './manifestTypes';
import { sha256FileSync } from '../video/hash';

export interface BundleVerdict { ok: boolean; problems: string[]; files: number }

const SUMS = 'SHA256SUMS';
const MANIFEST = 'manifest.json';

/** Files under dir, relative with '/' separators; links and other non-files are reported, not followed. */
function listFiles(dir: string, problems: string[]): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const ent of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(rel);
      else if (ent.isFile()) out.push(rel);
      else problems.push(`${rel}: not a regular file (link or device) - not part of a bundle`);
    }
  };
  walk('');
  return out.sort();
}

function unsafe(rel: string): boolean {
  return rel === '' || rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || rel.includes('\\') || rel.split('/').some((p) => p === '..' || p === '.' || p === '');
}

export function verifyBundle(dir: string): BundleVerdict {
  const root = path.resolve(dir);
  const problems: string[] = [];
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return { ok: false, problems: [`${root}: not a folder`], files: 0 };

  const present = listFiles(root, problems);
  const hashes = new Map<string, string>();
  const hashOf = (rel: string): string => {
    let h = hashes.get(rel);
    if (!h) { h = sha256FileSync(path.join(root, rel)); hashes.set(rel, h); }
    return h;
  };

  // SHA256SUMS: "<64 hex>  <path>" per line, as sha256sum writes it ('*' marks binary mode).
  const sums = new Map<string, string>();
  if (!present.includes(SUMS)) problems.push(`${SUMS} missing`);
  else {
    fs.readFileSync(path.join(root, SUMS), 'utf8').split('\n').forEach((line, i) => {
      if (line === '') return;
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!m) { problems.push(`${SUMS} line ${i + 1}: not "<sha256>  <file>"`); return; }
      if (unsafe(m[2])) { problems.push(`${SUMS} line ${i + 1}: unsafe path "${m[2]}"`); return; }
      if (sums.has(m[2])) problems.push(`${SUMS}: ${m[2]} listed twice`);
      sums.set(m[2], m[1]);
    });
  }
  for (const [rel, want] of sums) {
    if (!present.includes(rel)) problems.push(`${rel}: missing (listed in ${SUMS})`);
    else if (hashOf(rel) !== want) problems.push(`${rel}: SHA-256 does not match ${SUMS} (file changed)`);
  }
  for (const rel of present) if (rel !== SUMS && !sums.has(rel)) problems.push(`${rel}: extra file, not in ${SUMS}`);

  let manifest: Manifest | null = null;
  if (!present.includes(MANIFEST)) problems.push(`${MANIFEST} missing`);
  else {
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(root, MANIFEST), 'utf8')) as Manifest;
      if (!Array.isArray(manifest.files)) throw new Error('no "files" list');
    } catch (e) {
      problems.push(`${MANIFEST}: unreadable (${(e as Error).message})`);
      manifest = null;
    }
  }
  if (manifest) {
    const listed = new Set<string>();
    for (const f of manifest.files) {
      if (typeof f.path !== 'string' || unsafe(f.path)) { problems.push(`${MANIFEST}: unsafe path "${String(f.path)}"`); continue; }
      listed.add(f.path);
      if (!present.includes(f.path)) { problems.push(`${f.path}: missing (listed in ${MANIFEST})`); continue; }
      if (hashOf(f.path) !== f.sha256) problems.push(`${f.path}: SHA-256 does not match ${MANIFEST} (file changed)`);
      if (fs.statSync(path.join(root, f.path)).size !== f.size) problems.push(`${f.path}: size does not match ${MANIFEST}`);
      if (sums.has(f.path) && sums.get(f.path) !== f.sha256) problems.push(`${f.path}: ${MANIFEST} and ${SUMS} disagree`);
    }
    for (const rel of present) if (rel !== SUMS && rel !== MANIFEST && !listed.has(rel)) problems.push(`${rel}: extra file, not in ${MANIFEST}`);
    checkAuditCopy(root, manifest, present, problems);
  }
  return { ok: problems.length === 0, problems, files: present.length };
}

/** The exported audit log must itself be an unbroken chain ending at the head the manifest names. */
function checkAuditCopy(root: string, m: Manifest, present: string[], problems: string[]): void {
  const file = m.audit?.file;
  if (typeof file !== 'string' || unsafe(file) || !present.includes(file)) return; // reported as missing above
  let rows: AuditRow[];
  try {
    rows = fs.readFileSync(path.join(root, file), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditRow);
  } catch (e) {
    problems.push(`${file}: unreadable (${(e as Error).message})`);
    return;
  }
  const verdict = verifyAuditRows(rows);
  for (const p of verdict.problems) problems.push(`${file}: ${p}`);
  const last = rows[rows.length - 1];
  if ((last?.hash ?? '') !== m.audit.headHash || (last?.seq ?? 0) !== m.audit.headSeq) problems.push(`${file}: does not end at the entry ${MANIFEST} names`);
}
