// Checks an evidence bundle: every file's SHA-256 is recomputed and compared with both SHA256SUMS
// and manifest.json (missing, extra and changed files are all reported), and manifest.json's Ed25519
// signature is checked with the bundle's public key — optionally pinned to a key the recipient was
// given — so a bundle whose files and sums were all recomputed fails. With the case (a case file or a
// team case), the case's audit log must hold the "export made" entry of this very manifest.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from '../case/caseFile';
import { listAuditRows, verifyAudit, verifyAuditRows, type AuditRow, type AuditVerdict } from '../case/audit';
import { PUBLIC_KEY_FILE, SIGNATURE_FILE, type Manifest } from './manifestTypes';
import { fingerprintOf, normaliseFingerprint, publicKeyFrom, SigningKeyError, verifyBytes } from './signing';
import { sha256FileSync } from '../video/hash';

export interface BundleVerdict {
  ok: boolean;
  problems: string[];
  files: number;
  /** Fingerprint of the key that signed manifest.json (null when the signature does not check out). */
  signer: string | null;
  /** True when the signer was compared with a key or fingerprint the caller gave. */
  signerPinned: boolean;
  /** SHA-256 of manifest.json as found. */
  manifestSha256: string | null;
  /** The case's "export made" entry for this manifest, when checked against a case. */
  caseEntry: { seq: number; at: string; user: string } | null;
}

export interface VerifyOptions {
  /** The signer's fingerprint the recipient expects (from a key file or typed); any other signer fails. */
  expectFingerprint?: string;
}

const SUMS = 'SHA256SUMS';
const MANIFEST = 'manifest.json';
/** Files that cannot list themselves in manifest.json. */
const OUTSIDE_MANIFEST = new Set([SUMS, MANIFEST, SIGNATURE_FILE]);

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

export function verifyBundle(dir: string, opts: VerifyOptions = {}): BundleVerdict {
  const root = path.resolve(dir);
  const problems: string[] = [];
  const none = { signer: null, signerPinned: false, manifestSha256: null, caseEntry: null };
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return { ok: false, problems: [`${root}: not a folder`], files: 0, ...none };

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
  let manifestBytes: Buffer | null = null;
  if (!present.includes(MANIFEST)) problems.push(`${MANIFEST} missing`);
  else {
    try {
      manifestBytes = fs.readFileSync(path.join(root, MANIFEST));
      manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
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
    for (const rel of present) if (!OUTSIDE_MANIFEST.has(rel) && !listed.has(rel)) problems.push(`${rel}: extra file, not in ${MANIFEST}`);
    checkAuditCopy(root, manifest, present, problems);
  }
  const signer = manifest && manifestBytes ? checkSignature(root, manifest, manifestBytes, present, problems) : null;
  let signerPinned = false;
  if (opts.expectFingerprint !== undefined) {
    const want = normaliseFingerprint(opts.expectFingerprint);
    if (!want) problems.push(`the expected fingerprint "${opts.expectFingerprint}" is not 64 hex digits`);
    else if (signer && signer !== want) problems.push(`signed by ${signer}, not by the expected key ${want}`);
    else signerPinned = !!signer;
  }
  const manifestSha256 = manifestBytes ? createHash('sha256').update(manifestBytes).digest('hex') : null;
  return { ok: problems.length === 0, problems, files: present.length, signer, signerPinned, manifestSha256, caseEntry: null };
}

/**
 * manifest.sig must be a valid Ed25519 signature of manifest.json by public-key.pem, whose
 * fingerprint is the one manifest.json names. Returns that fingerprint, or null when it fails.
 */
function checkSignature(root: string, m: Manifest, manifestBytes: Buffer, present: string[], problems: string[]): string | null {
  if (m.formatVersion !== 2 || !m.signer) {
    problems.push(`${MANIFEST}: the bundle is not signed (format version ${String(m.formatVersion)}; signed bundles are version 2)`);
    return null;
  }
  if (!present.includes(SIGNATURE_FILE)) { problems.push(`${SIGNATURE_FILE} missing: the manifest is not signed`); return null; }
  if (!present.includes(PUBLIC_KEY_FILE)) { problems.push(`${PUBLIC_KEY_FILE} missing: the signature cannot be checked`); return null; }
  let fingerprint: string;
  let key;
  try {
    key = publicKeyFrom(fs.readFileSync(path.join(root, PUBLIC_KEY_FILE)), PUBLIC_KEY_FILE);
    fingerprint = fingerprintOf(key);
  } catch (e) {
    problems.push((e as Error).message);
    return null;
  }
  if (normaliseFingerprint(String(m.signer.fingerprint)) !== fingerprint) {
    problems.push(`${PUBLIC_KEY_FILE} (fingerprint ${fingerprint}) is not the key ${MANIFEST} names (${String(m.signer.fingerprint)})`);
    return null;
  }
  if (!verifyBytes(key, manifestBytes, fs.readFileSync(path.join(root, SIGNATURE_FILE)))) {
    problems.push(`${SIGNATURE_FILE}: the signature does not match ${MANIFEST} (the manifest was changed or re-made after signing)`);
    return null;
  }
  return fingerprint;
}

/** A case's audit log as the bundle check needs it: the case's name, its verdict and its rows. */
export interface CaseLog { name: string; audit: AuditVerdict; rows: AuditRow[] }

/** A case file's log. */
export function checkAgainstCase(db: Db, verdict: BundleVerdict): BundleVerdict {
  return checkAgainstLog({ name: db.name, audit: verifyAudit(db), rows: listAuditRows(db) }, verdict);
}

/**
 * The bundle against the case it came from: the case's audit chain must verify, and hold an
 * "export made" entry recording this manifest's SHA-256 (and, from signed exports on, the signer).
 */
export function checkAgainstLog(log: CaseLog, verdict: BundleVerdict): BundleVerdict {
  const problems = [...verdict.problems];
  const caseFile = log.name;
  const audit = log.audit;
  if (!audit.ok) problems.push(`the audit log of ${caseFile} was altered: ${audit.problems.join('; ')}`);
  let caseEntry: BundleVerdict['caseEntry'] = null;
  if (verdict.manifestSha256) {
    const entry = log.rows.map((r) => ({ ...r, details: detailsOf(r) })).find((e) => e.action === 'export made' && e.details.manifestSha256 === verdict.manifestSha256);
    if (!entry) {
      problems.push(`${caseFile} has no "export made" entry for this manifest (SHA-256 ${verdict.manifestSha256}): the bundle was not exported from this case, or its manifest was changed`);
    } else {
      caseEntry = { seq: entry.seq, at: entry.at, user: entry.user };
      const recorded = entry.details.signerFingerprint;
      if (typeof recorded === 'string' && verdict.signer && normaliseFingerprint(recorded) !== verdict.signer) {
        problems.push(`audit entry ${entry.seq} records signer ${recorded}, the bundle is signed by ${verdict.signer}`);
      }
    }
  }
  return { ...verdict, problems, ok: problems.length === 0, caseEntry };
}

function detailsOf(r: AuditRow): Record<string, unknown> {
  try { return JSON.parse(r.details) as Record<string, unknown>; } catch { return {}; /* reported by the chain check */ }
}

/** Fingerprint of a public key file the recipient was given (PEM). */
export function fingerprintOfKeyFile(file: string): string {
  let pem: Buffer;
  try {
    pem = fs.readFileSync(file);
  } catch (e) {
    throw new SigningKeyError(`${file}: cannot read the key (${(e as Error).message})`);
  }
  return fingerprintOf(publicKeyFrom(pem, file));
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
