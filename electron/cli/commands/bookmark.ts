// sightline bookmark add|list|remove|edit --db <case.sqlite> | --server <postgres://…> ...
import { scoreSchema } from '../../common/contract';
import { Engine } from '../../engine/api';
import { checkedNumber, openCaseFor, parse, UsageError } from '../args';

const USAGE = [
  'sightline bookmark add --db <case.sqlite> --sighting <id> [--note "..."] [--query "..."] [--score S]',
  '       sightline bookmark list --db <case.sqlite> [--json]',
  '       sightline bookmark edit --db <case.sqlite> <bookmark-id> --note "..."',
  '       sightline bookmark remove --db <case.sqlite> <bookmark-id>',
  '       (a team case: --server <postgres://…> or SIGHTLINE_SERVER in place of --db)',
].join('\n');

function positiveId(value: string | undefined, what: string): number {
  if (value === undefined) throw new UsageError(`${what} is required\nusage: ${USAGE}`);
  if (!/^\d{1,12}$/.test(value) || Number(value) <= 0) throw new UsageError(`${what}: "${value}" is not a positive whole number\nusage: ${USAGE}`);
  return Number(value);
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    db: { type: 'string' }, server: { type: 'string' }, sighting: { type: 'string' }, note: { type: 'string' }, query: { type: 'string' },
    score: { type: 'string' }, json: { type: 'boolean' },
  }, USAGE);
  if (!['add', 'list', 'edit', 'remove'].includes(sub ?? '')) throw new UsageError(`expected add, list, edit or remove\nusage: ${USAGE}`);
  const engine = new Engine();
  try {
    await openCaseFor(engine, values, USAGE, { readonly: sub === 'list' });
    switch (sub) {
      case 'add': {
        if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
        const score = checkedNumber(values.score, '--score', scoreSchema, USAGE);
        const b = await engine.addBookmark({ sightingId: positiveId(values.sighting, '--sighting'), note: values.note, query: values.query, score });
        process.stdout.write(values.json ? `${JSON.stringify(b)}\n` : `bookmark ${b.id} added (sighting ${b.sightingId})\n`);
        return 0;
      }
      case 'list': {
        const list = await engine.listBookmarks();
        if (values.json) { process.stdout.write(`${JSON.stringify(list)}\n`); return 0; }
        if (!list.length) { process.stdout.write('no bookmarks\n'); return 0; }
        for (const b of list) {
          const where = b.hit.video ? `${b.hit.camera || b.hit.video} @ ${b.hit.time.toFixed(3)} s${b.hit.wallClock ? ` (${b.hit.wallClock})` : ''}` : '(video no longer in the case)';
          const note = b.note.replace(/[\x00-\x1f\x7f]/g, ' ');
          process.stdout.write(`[${b.id}] sighting ${b.sightingId}  ${where}${note ? `  "${note.length > 120 ? `${note.slice(0, 117)}...` : note}"` : ''}\n`);
        }
        return 0;
      }
      case 'edit': {
        if (values.note === undefined) throw new UsageError(`--note is required\nusage: ${USAGE}`);
        const b = await engine.updateBookmark(positiveId(positionals[0], '<bookmark-id>'), values.note);
        process.stdout.write(`bookmark ${b.id} note updated\n`);
        return 0;
      }
      default: {
        const id = positiveId(positionals[0], '<bookmark-id>');
        await engine.removeBookmark(id);
        process.stdout.write(`bookmark ${id} removed\n`);
        return 0;
      }
    }
  } finally {
    await engine.close();
  }
}
