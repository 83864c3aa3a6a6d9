// sightline verify <bundle>: exit 0 only when every file matches manifest.json and SHA256SUMS.
import { verifyBundle } from '../../engine/evidence/verify';
import { parse, UsageError } from '../args';

const USAGE = 'sightline verify <bundle-folder> [--json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one bundle folder\nusage: ${USAGE}`);
  const verdict = verifyBundle(positionals[0]);
  if (values.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
  if (verdict.ok) {
    if (!values.json) process.stdout.write(`OK: ${verdict.files} files, every SHA-256 matches manifest.json and SHA256SUMS\n`);
    return 0;
  }
  for (const p of verdict.problems) process.stderr.write(`sightline verify: ${positionals[0]}: ${p}\n`);
  process.stderr.write(`sightline verify: FAILED: ${verdict.problems.length} problem(s) in ${verdict.files} files\n`);
  return 1;
}
