// sightline case set --db <case.sqlite> | --server <conn> [--investigator NAME] [--case-number N] [--title T]
// sightline case show --db <case.sqlite> | --server <conn> [--json]
// The case's identity: who investigates (every later audit entry carries the name) and its number.
import { Engine } from '../../engine/api';
import { openCaseFor, parse, UsageError } from '../args';

const USAGE = [
  'sightline case set --db <case.sqlite> | --server <conn> [--investigator "<name>"] [--case-number <number>] [--title "<title>"] [--json]',
  '       sightline case show --db <case.sqlite> | --server <conn> [--json]',
  '       sightline case create --server <postgres://…> [--case-number <number>] [--title "<title>"] [--json]',
].join('\n');

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  // A team case is created on a PostgreSQL server (cli/team.ts).
  if (sub === 'create') return (await import('../team')).caseCreate(rest);
  if (sub !== 'set' && sub !== 'show') throw new UsageError(`expected "set", "show" or "create""\nusage: ${USAGE}`);
  const { values, positionals } = parse(rest, {
    db: { type: 'string' }, server: { type: 'string' }, investigator: { type: 'string' }, 'case-number': { type: 'string' }, title: { type: 'string' }, json: { type: 'boolean' },
  }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const patch = { investigator: values.investigator, caseNumber: values['case-number'], title: values.title };
  if (sub === 'set') {
    if (Object.values(patch).every((v) => v === undefined)) throw new UsageError(`give --investigator, --case-number or --title\nusage: ${USAGE}`);
    if (patch.investigator !== undefined && patch.investigator.trim() === '') throw new UsageError(`--investigator must not be empty\nusage: ${USAGE}`);
  }
  const engine = new Engine();
  try {
    await openCaseFor(engine, values, USAGE);
    const info = sub === 'set' ? await engine.setCaseDetails(patch) : await engine.getCase();
    if (values.json) process.stdout.write(`${JSON.stringify(info)}\n`);
    else process.stdout.write(`case number   ${info?.caseNumber || '(none)'}\ninvestigator  ${info?.investigator || '(none)'}\ntitle         ${info?.title || '(none)'}\n${info?.team ? 'server      ' : 'case file   '}  ${info?.path}\nmodel         ${await engine.ivtModelInUse()}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
