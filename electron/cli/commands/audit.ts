// sightline audit verify --db <case.sqlite> [--json]: recomputes the audit log's hash chain.
import { Engine } from '../../engine/api';
import { parse, requireDb, UsageError } from '../args';
import { isTeam } from '../teamArgs';

const USAGE = 'sightline audit verify --db <case.sqlite> [--json]';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new UsageError(`expected "verify"\nusage: ${USAGE}`);
  if (isTeam(rest)) return (await import('../team')).auditVerify(rest);
  const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const file = requireDb(values.db, USAGE);
  const engine = new Engine();
  try {
    // Read-only: checking the log must not change the case file.
    await engine.openCaseReadOnly(file);
    const verdict = await engine.verifyAudit();
    if (values.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
    if (verdict.ok) {
      if (!values.json) process.stdout.write(`OK: ${verdict.entries} audit entries, hash chain intact\n`);
      return 0;
    }
    for (const p of verdict.problems) process.stderr.write(`sightline audit: ${file}: ${p}\n`);
    process.stderr.write(`sightline audit: FAILED: the audit log of ${file} was altered (${verdict.problems.length} problem(s))\n`);
    return 1;
  } finally {
    await engine.close();
  }
}
