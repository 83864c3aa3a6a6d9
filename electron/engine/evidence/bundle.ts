// The evidence bundle as a folder on disk: written into a hidden temporary sibling, hashed from
// what is actually on disk (manifest.json, SHA256SUMS), then renamed into place and recorded in the
// case's audit log — so a folder with the bundle's name is always a whole, audited bundle.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { verifyAuditRows, type AuditRow } from '../case/audit';
import { sha256File } from '../video/hash';
import { PUBLIC_KEY_FILE, SIGNATURE_FILE, type Manifest, type ManifestSigner } from './manifestTypes';
import { SIGNATURE_ALGORITHM, signBytes, type SigningKey } from './signing';
import type { EvidenceSource } from './source';

/** A bundle being written: `tempDir` now, `finalDir` once committed. */
export interface PendingBundle { outDir: string; finalDir: string; tempDir: string }

/**
 * Picks a free name `<base>[-N]` in outDir and creates the hidden temporary folder for it.
 * `fail` turns a file-system problem into the caller's error type.
 */
export function startBundle(outDir: string, base: string, fail: (message: string) => Error): PendingBundle {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw fail(`cannot create output directory ${outDir}: ${(e as Error).message}`);
  }
  const bundleName = uniqueName(outDir, base);
  const finalDir = path.join(outDir, bundleName);
  const tempDir = path.join(outDir, `.${bundleName}.partial-${randomBytes(4).toString('hex')}`);
  try {
    fs.mkdirSync(tempDir);
  } catch (e) {
    throw fail(`cannot write to output directory ${outDir}: ${(e as Error).message}`);
  }
  return { outDir, finalDir, tempDir };
}

/** Copies the case's audit log (its rows as stored) into the bundle and checks its chain; returns the manifest's audit section. */
export function writeAuditCopy(auditRows: AuditRow[], bundle: PendingBundle): Manifest['audit'] {
  const verdict = verifyAuditRows(auditRows);
  const file = 'audit-log.jsonl';
  fs.writeFileSync(path.join(bundle.tempDir, file), auditRows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const head = auditRows[auditRows.length - 1];
  return { file, entries: auditRows.length, headSeq: head?.seq ?? 0, headHash: head?.hash ?? '', chainVerified: verdict.ok, problems: verdict.problems };
}

/** Puts the signer's public key into the bundle; returns the manifest's signer section. */
export function writePublicKey(bundle: PendingBundle, key: SigningKey): ManifestSigner {
  fs.writeFileSync(path.join(bundle.tempDir, PUBLIC_KEY_FILE), key.publicKeyPem);
  return { algorithm: SIGNATURE_ALGORITHM, publicKey: PUBLIC_KEY_FILE, signature: SIGNATURE_FILE, fingerprint: key.fingerprint };
}

/**
 * Fills manifest.files from what is on disk (after flushing it, never what we meant to write), then
 * writes manifest.json, its signature (manifest.sig: Ed25519 over the file's exact bytes) and
 * SHA256SUMS. Returns the manifest's own SHA-256.
 */
export async function writeManifestAndSums(bundle: PendingBundle, manifest: Manifest, key: SigningKey): Promise<string> {
  const dir = bundle.tempDir;
  manifest.files = await hashTree(dir, new Set(['manifest.json', 'SHA256SUMS', SIGNATURE_FILE]));
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  fs.writeFileSync(path.join(dir, 'manifest.json'), manifestBytes);
  syncFile(path.join(dir, 'manifest.json'));
  fs.writeFileSync(path.join(dir, SIGNATURE_FILE), signBytes(key, manifestBytes));
  syncFile(path.join(dir, SIGNATURE_FILE));
  const manifestSha = await sha256File(path.join(dir, 'manifest.json'));
  const sigSha = await sha256File(path.join(dir, SIGNATURE_FILE));
  const sums = [...manifest.files.map((f) => ({ path: f.path, sha256: f.sha256 })), { path: 'manifest.json', sha256: manifestSha }, { path: SIGNATURE_FILE, sha256: sigSha }]
    .sort((a, b) => a.path.localeCompare(b.path));
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), sums.map((s) => `${s.sha256}  ${s.path}\n`).join(''));
  syncFile(path.join(dir, 'SHA256SUMS'));
  return manifestSha;
}

/**
 * Renames the finished bundle into place, then appends the audit entry. A bundle the audit log does
 * not know about must not exist, so when the entry fails the bundle is removed again.
 */
export async function commitBundle(
  source: EvidenceSource, bundle: PendingBundle, user: string, details: Record<string, unknown>, fail: (message: string) => Error,
): Promise<string> {
  fs.renameSync(bundle.tempDir, bundle.finalDir);
  try {
    await source.recordExport(user, { bundle: bundle.finalDir, ...details });
  } catch (e) {
    fs.rmSync(bundle.finalDir, { recursive: true, force: true });
    throw fail(`export written but the audit entry failed, so ${bundle.finalDir} was removed: ${(e as Error).message}`);
  }
  return bundle.finalDir;
}

/** Removes a bundle that will not be finished. */
export function abandonBundle(bundle: PendingBundle): void {
  fs.rmSync(bundle.tempDir, { recursive: true, force: true });
}

/** Every file under dir (relative, '/'-separated), flushed to disk, with its SHA-256 and size. */
async function hashTree(dir: string, skip: Set<string>): Promise<{ path: string; sha256: string; size: number }[]> {
  const out: { path: string; sha256: string; size: number }[] = [];
  const walk = async (sub: string): Promise<void> => {
    for (const ent of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = sub ? `${sub}/${ent.name}` : ent.name;
      if (ent.isDirectory()) { await walk(rel); continue; }
      if (skip.has(rel)) continue;
      const abs = path.join(dir, rel);
      syncFile(abs);
      out.push({ path: rel, sha256: await sha256File(abs), size: fs.statSync(abs).size });
    }
  };
  await walk('');
  return out;
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

function uniqueName(dir: string, base: string): string {
  let name = base;
  for (let i = 2; fs.existsSync(path.join(dir, name)); i++) name = `${base}-${i}`;
  return name;
}

/** Compact UTC time for bundle names: 20260314T093001Z. */
export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

let cachedVersion: string | null = null;
/** Version from the app's package.json (found by walking up from this file; works in dist and asar). */
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = __dirname;
  for (;;) {
    const p = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sightline' && pkg.version) return (cachedVersion = pkg.version);
    } catch { /* keep looking */ }
    const up = path.dirname(dir);
    if (up === dir) return (cachedVersion = 'unknown');
    dir = up;
  }
}
