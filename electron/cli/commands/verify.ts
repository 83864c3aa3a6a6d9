// sightline verify <bundle> [--db <case> | --server <postgres://…>] [--key <public.pem> | --fingerprint <hex>]:
// exit 0 only when every file matches manifest.json and SHA256SUMS, manifest.json carries a valid
// signature (by the pinned key, when one is given) and, with a case given, it recorded this very export.
import { Engine } from '../../engine/api';
import { openCaseFor, parse, UsageError } from '../args';

const USAGE = 'sightline verify <bundle-folder> [--db <case.sqlite> | --server <postgres://…>] [--key <public-key.pem> | --fingerprint <hex>] [--json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean' }, db: { type: 'string' }, server: { type: 'string' }, key: { type: 'string' }, fingerprint: { type: 'string' },
  }, USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one bundle folder\nusage: ${USAGE}`);
  if (values.key !== undefined && values.fingerprint !== undefined) throw new UsageError(`give --key or --fingerprint, not both\nusage: ${USAGE}`);
  const engine = new Engine();
  try {
    // Read-only: checking a bundle against its case must not change the case file. Only a case named
    // here is checked (not SIGHTLINE_SERVER's): a bundle from elsewhere still verifies on its own.
    if (values.db || values.server) await openCaseFor(engine, values, USAGE, { readonly: true });
    const verdict = await engine.verifyBundle(positionals[0], { key: values.key, fingerprint: values.fingerprint });
    if (values.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
    if (verdict.ok) {
      if (!values.json) {
        const lines = [`OK: ${verdict.files} files, every SHA-256 matches manifest.json and SHA256SUMS`,
          `signature: valid Ed25519, key ${verdict.signer}${verdict.signerPinned ? ' (the expected key)' : ''}`];
        if (!verdict.signerPinned) lines.push('warning: signer not pinned: compare this fingerprint with the one you were given, or pass --key/--fingerprint');
        if (verdict.caseEntry) lines.push(`case: audit entry ${verdict.caseEntry.seq} (${verdict.caseEntry.at}, ${verdict.caseEntry.user}) records this export`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      return 0;
    }
    for (const p of verdict.problems) process.stderr.write(`sightline verify: ${positionals[0]}: ${p}\n`);
    process.stderr.write(`sightline verify: FAILED: ${verdict.problems.length} problem(s) in ${verdict.files} files\n`);
    return 1;
  } finally {
    await engine.close();
  }
}
