// The installation's evidence-signing key: one Ed25519 key pair per installation, made on first use
// and kept in the user's config folder with owner-only permissions. A bundle's manifest.json is
// signed with it, so a bundle whose files and sums were all recomputed no longer verifies; the key's
// fingerprint (SHA-256 of the raw public key) is what a recipient compares with the one they were given.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export class SigningKeyError extends Error {}

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** Hex in groups of four (see formatFingerprint). */
  fingerprint: string;
  privateKeyFile: string;
}

export const SIGNATURE_ALGORITHM = 'Ed25519';
const PRIVATE_FILE = 'signing-key.pem';
const PUBLIC_FILE = 'signing-key.pub.pem';

/** Where the key lives: the given folder, else SIGHTLINE_HOME, else the OS config folder. */
export function keyHome(dir?: string): string {
  if (dir) return path.resolve(dir);
  if (process.env.SIGHTLINE_HOME) return path.resolve(process.env.SIGHTLINE_HOME);
  if (process.platform === 'win32') return path.join(process.env.APPDATA || path.join(os.homedir(), 'AppData', 'Roaming'), 'Sightline');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Sightline');
  return path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'sightline');
}

/** Loads the installation's key, making it the first time. */
export function installationKey(dir?: string): SigningKey {
  const home = keyHome(dir);
  const file = path.join(home, PRIVATE_FILE);
  if (!fs.existsSync(file)) createKey(home, file);
  return loadPrivateKey(file);
}

function createKey(home: string, file: string): void {
  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    // Written under a temporary name with mode 0600 from the start, then linked into place: a second
    // process making a key at the same moment keeps the first one instead of overwriting it.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, file);
      fs.writeFileSync(path.join(home, PUBLIC_FILE), publicKey.export({ type: 'spki', format: 'pem' }) as string);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  } catch (e) {
    throw new SigningKeyError(`cannot create the signing key in ${home}: ${(e as Error).message}`);
  }
}

/** Reads a private key file; refuses one that others can read (a leaked key signs forgeries). */
export function loadPrivateKey(file: string): SigningKey {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    throw new SigningKeyError(`${file}: cannot read the signing key (${(e as Error).message})`);
  }
  if (!st.isFile()) throw new SigningKeyError(`${file}: the signing key is not a regular file`);
  // Windows has no POSIX modes; there the file's ACL (inherited from the profile folder) protects it.
  if (process.platform !== 'win32') {
    if ((st.mode & 0o077) !== 0) {
      throw new SigningKeyError(`${file}: the private signing key can be read by other users (mode ${(st.mode & 0o777).toString(8)}); `
        + `make it private with "chmod 600 ${file}" (and make a new key if it may have been copied)`);
    }
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new SigningKeyError(`${file}: the signing key belongs to another user (uid ${st.uid})`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(fs.readFileSync(file));
  } catch (e) {
    throw new SigningKeyError(`${file}: not a private key (${(e as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${file}: expected an Ed25519 key, found ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fingerprintOf(publicKey), privateKeyFile: file };
}

export function keyInfo(k: SigningKey): { algorithm: 'Ed25519'; fingerprint: string; publicKeyPem: string; privateKeyFile: string } {
  return { algorithm: SIGNATURE_ALGORITHM, fingerprint: k.fingerprint, publicKeyPem: k.publicKeyPem, privateKeyFile: k.privateKeyFile };
}

/** Reads an Ed25519 public key (PEM, SPKI); throws SigningKeyError naming `what`. */
export function publicKeyFrom(pem: string | Buffer, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new SigningKeyError(`${what}: not a public key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${what}: expected an Ed25519 key, found ${key.asymmetricKeyType}`);
  return key;
}

/** SHA-256 of the raw 32-byte Ed25519 public key, as hex in groups of four. */
export function fingerprintOf(publicKey: KeyObject): string {
  const raw = Buffer.from((publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
  return formatFingerprint(createHash('sha256').update(raw).digest('hex'));
}

export function formatFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)!.join(' ');
}

/** Accepts a fingerprint typed with spaces, colons or dashes, any case; null when it is not 64 hex digits. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:-]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? formatFingerprint(hex) : null;
}

/** Ed25519 signature (64 bytes) of the exact bytes given. */
export function signBytes(key: SigningKey, data: Buffer): Buffer {
  return sign(null, data, key.privateKey);
}

export function verifyBytes(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
