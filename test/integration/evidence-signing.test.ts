// Signed bundles, as a recipient checks them: the CLI's verify (alone, pinned to a key or a fingerprint,
// against the case) and openssl with nothing but the bundle — on a fresh bundle and on tampered copies
// (one byte, all files and sums recomputed, a swapped key, the signature removed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { makeEvidenceCase, type EvidenceFixture } from '../fixtures/evidenceCase';

const MAIN = path.resolve(__dirname, '../../electron/cli/main.js');
let fx: EvidenceFixture;
let home = '';
let bundle = '';

function cli(...args: string[]): { code: number; out: string; err: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, SIGHTLINE_HOME: home, HOME: fx.dir };
  delete env.SIGHTLINE_USER;
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A copy of the good bundle to tamper with. */
function copy(name: string): string {
  const dir = path.join(fx.dir, 'tampered', name);
  fs.cpSync(bundle, dir, { recursive: true });
  return dir;
}

/** What a careful forger does after changing a file: every size and hash in manifest.json and SHA256SUMS made to match again. */
function recomputeEverything(dir: string, resign?: { privateKey: Parameters<typeof sign>[2]; publicPem: string; fingerprint: string }): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; size: number }[]; signer: { fingerprint: string } };
  if (resign) {
    fs.writeFileSync(path.join(dir, 'public-key.pem'), resign.publicPem);
    manifest.signer.fingerprint = resign.fingerprint;
  }
  for (const f of manifest.files) {
    const bytes = fs.readFileSync(path.join(dir, f.path));
    f.sha256 = sha(bytes);
    f.size = bytes.length;
  }
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'manifest.json'), manifestBytes);
  if (resign) fs.writeFileSync(path.join(dir, 'manifest.sig'), sign(null, manifestBytes, resign.privateKey));
  const sums = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n')
    .map((l) => l.slice(66)).filter((p) => fs.existsSync(path.join(dir, p)))
    .map((p) => `${sha(fs.readFileSync(path.join(dir, p)))}  ${p}\n`);
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), sums.join(''));
}

function opensslVerify(dir: string): number {
  return spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: dir }).status ?? -1;
}

const framePng = (dir: string): string => {
  const items = path.join(dir, 'items');
  return path.join(items, fs.readdirSync(items)[0], 'frame.png');
};

before(async () => {
  fx = await makeEvidenceCase();
  fx.db.close();
  home = path.join(fx.dir, 'sightline-home');
  assert.equal(cli('bookmark', 'add', '--db', fx.caseFile, '--sighting', String(fx.sightings[0].id), '--note', 'at the door').code, 0);
  const r = cli('export', '--db', fx.caseFile, '--out', path.join(fx.dir, 'exports'), '--pad', '0.5', '--json');
  assert.equal(r.code, 0, r.err);
  bundle = (JSON.parse(r.out) as { bundleDir: string }).bundleDir;
});
after(() => fx?.cleanup());

test('the installation key is made on first use with owner-only permissions; the bundle carries the public key and the signature', () => {
  const keyFile = path.join(home, 'signing-key.pem');
  assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
  for (const f of ['manifest.sig', 'public-key.pem']) assert.ok(fs.existsSync(path.join(bundle, f)), f);
  assert.equal(fs.statSync(path.join(bundle, 'manifest.sig')).size, 64);
  const m = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as { formatVersion: number; signer: { fingerprint: string }; files: { path: string }[] };
  assert.equal(m.formatVersion, 2);
  assert.match(m.signer.fingerprint, /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  assert.ok(m.files.some((f) => f.path === 'public-key.pem'));
  assert.match(fs.readFileSync(path.join(bundle, 'SHA256SUMS'), 'utf8'), / {2}manifest\.sig\n/);
  // The fingerprint is SHA-256 of the raw public key: openssl computes the same from public-key.pem.
  const der = spawnSync('openssl', ['pkey', '-pubin', '-in', path.join(bundle, 'public-key.pem'), '-outform', 'DER']).stdout;
  assert.equal(sha(der.subarray(der.length - 32)), m.signer.fingerprint.replace(/ /g, ''));
});

test('the fresh bundle verifies: alone, pinned by fingerprint or key file, against its case, and with openssl', () => {
  const alone = cli('verify', bundle);
  assert.equal(alone.code, 0, alone.err);
  assert.match(alone.out, /signature: valid Ed25519/);
  assert.match(alone.out, /signer not pinned/);
  const fp = (JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as { signer: { fingerprint: string } }).signer.fingerprint;
  const pinned = cli('verify', bundle, '--fingerprint', fp.replace(/ /g, ':').toUpperCase());
  assert.equal(pinned.code, 0, pinned.err);
  assert.match(pinned.out, /the expected key/);
  assert.equal(cli('verify', bundle, '--key', path.join(home, 'signing-key.pub.pem')).code, 0);
  const withCase = cli('verify', bundle, '--db', fx.caseFile, '--json');
  assert.equal(withCase.code, 0, withCase.err);
  assert.equal((JSON.parse(withCase.out) as { caseEntry: { user: string } }).caseEntry.user, 'DC Test');
  assert.equal(opensslVerify(bundle), 0);
  assert.equal(cli('verify', bundle, '--key', 'k', '--fingerprint', fp).code, 2);
  const badFp = cli('verify', bundle, '--fingerprint', 'abc');
  assert.equal(badFp.code, 1);
  assert.match(badFp.err, /not 64 hex digits/);
});

test('tamper: one byte changed fails on its hash', () => {
  const dir = copy('one-byte');
  const f = framePng(dir);
  const bytes = fs.readFileSync(f);
  bytes[bytes.length - 20] ^= 0x01;
  fs.writeFileSync(f, bytes);
  const v = cli('verify', dir);
  assert.equal(v.code, 1);
  assert.match(v.err, /frame\.png: SHA-256 does not match/);
});

test('tamper: a file changed and every hash, size and sum recomputed fails on the signature (sha256sum alone is fooled)', () => {
  const dir = copy('recomputed');
  const f = framePng(dir);
  const bytes = fs.readFileSync(f);
  bytes[bytes.length - 20] ^= 0x01;
  fs.writeFileSync(f, bytes);
  recomputeEverything(dir);
  assert.equal(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir }).status, 0);
  const v = cli('verify', dir);
  assert.equal(v.code, 1);
  assert.match(v.err, /manifest\.sig: the signature does not match manifest\.json/);
  assert.doesNotMatch(v.err, /SHA-256 does not match/);
  assert.notEqual(opensslVerify(dir), 0);
});

test("tamper: re-signed with another key passes only unpinned; the fingerprint, the key file and the case all refuse it", () => {
  const dir = copy('swapped-key');
  fs.writeFileSync(path.join(dir, 'items', fs.readdirSync(path.join(dir, 'items'))[0], 'frame.png'), Buffer.from('forged'));
  const forger = generateKeyPairSync('ed25519');
  const raw = Buffer.from((forger.publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
  const forgedFp = sha(raw).match(/.{4}/g)!.join(' ');
  recomputeEverything(dir, { privateKey: forger.privateKey, publicPem: forger.publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: forgedFp });
  // With nothing to compare with, a complete forgery is self-consistent: the output says to pin.
  const unpinned = cli('verify', dir);
  assert.equal(unpinned.code, 0, unpinned.err);
  assert.ok(unpinned.out.includes(forgedFp));
  assert.match(unpinned.out, /signer not pinned/);
  const realFp = (JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as { signer: { fingerprint: string } }).signer.fingerprint;
  const byFp = cli('verify', dir, '--fingerprint', realFp);
  assert.equal(byFp.code, 1);
  assert.match(byFp.err, new RegExp(`signed by ${forgedFp}, not by the expected key ${realFp}`));
  const byKey = cli('verify', dir, '--key', path.join(bundle, 'public-key.pem'));
  assert.equal(byKey.code, 1);
  assert.match(byKey.err, /not by the expected key/);
  const byCase = cli('verify', dir, '--db', fx.caseFile);
  assert.equal(byCase.code, 1);
  assert.match(byCase.err, /has no "export made" entry for this manifest/);
  // Only the key swapped (manifest untouched): the key no longer matches the fingerprint the manifest names.
  const keyOnly = copy('key-only');
  fs.writeFileSync(path.join(keyOnly, 'public-key.pem'), forger.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  recomputeEverything(keyOnly);
  const k = cli('verify', keyOnly, '--db', fx.caseFile);
  assert.equal(k.code, 1);
  assert.match(k.err, /public-key\.pem \(fingerprint .*\) is not the key manifest\.json names/);
});

test('tamper: the signature removed (and dropped from SHA256SUMS) fails', () => {
  const dir = copy('no-signature');
  fs.rmSync(path.join(dir, 'manifest.sig'));
  recomputeEverything(dir);
  const v = cli('verify', dir);
  assert.equal(v.code, 1);
  assert.match(v.err, /manifest\.sig missing: the manifest is not signed/);
  // Claiming to be an old, unsigned bundle does not help either.
  const old = copy('format-1');
  fs.rmSync(path.join(old, 'manifest.sig'));
  const m = JSON.parse(fs.readFileSync(path.join(old, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  m.formatVersion = 1;
  delete m.signer;
  fs.writeFileSync(path.join(old, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
  recomputeEverything(old);
  const o = cli('verify', old);
  assert.equal(o.code, 1);
  assert.match(o.err, /the bundle is not signed \(format version 1/);
});

test('against the case: an altered audit log fails the check', () => {
  const caseCopy = path.join(fx.dir, 'case-copy.sqlite');
  fs.copyFileSync(fx.caseFile, caseCopy);
  const raw = new Database(caseCopy);
  raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = 'someone else' WHERE seq = 1;");
  raw.close();
  const v = cli('verify', bundle, '--db', caseCopy);
  assert.equal(v.code, 1);
  assert.match(v.err, /the audit log of .* was altered/);
});

test('a private key file that others can read is refused, naming the file and the fix', () => {
  const keyFile = path.join(home, 'signing-key.pem');
  fs.chmodSync(keyFile, 0o644);
  try {
    const r = cli('export', '--db', fx.caseFile, '--out', path.join(fx.dir, 'exports-2'));
    assert.equal(r.code, 1);
    assert.ok(r.err.includes(keyFile), r.err);
    assert.match(r.err, /can be read by other users \(mode 644\).*chmod 600/);
    assert.ok(!fs.existsSync(path.join(fx.dir, 'exports-2')) || fs.readdirSync(path.join(fx.dir, 'exports-2')).length === 0);
  } finally {
    fs.chmodSync(keyFile, 0o600);
  }
});

test('docs/evidence.md: the recipient\'s commands (openssl, python3, sha256sum) pass on the bundle and fail on a recomputed forgery', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/evidence.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### With nothing but the bundle and the public key'));
  const script = /```sh\n([\s\S]*?)```/.exec(section)![1];
  assert.match(script, /openssl pkeyutl -verify/);
  const run = (dir: string) => spawnSync('bash', ['-c', `set -eo pipefail\n${script}`], { cwd: dir, encoding: 'utf8' });
  const ok = run(bundle);
  assert.equal(ok.status, 0, ok.stderr);
  const fp = (JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as { signer: { fingerprint: string } }).signer.fingerprint.replace(/ /g, '');
  assert.ok(ok.stdout.includes(fp), 'step 1 prints the fingerprint');
  assert.match(ok.stdout, /Signature Verified Successfully/);
  assert.match(ok.stdout, /manifest: all files match/);
  const forged = copy('docs-recomputed');
  fs.appendFileSync(framePng(forged), Buffer.from('x'));
  recomputeEverything(forged);
  const bad = run(forged);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout + bad.stderr, /Signature Verification Failure/);
});
