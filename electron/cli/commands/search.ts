// sightline search "<description>" --db <case.sqlite> | --server <postgres://…> [--top K] [--offset N] [--video ID] [--from S --to S] [--min-score X] [--include-rejected] [--thumbnails DIR] [--similar SIGHTING] [--same-person SIGHTING] [--json]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../engine/api';
import { AttributeFilterSchema, type FollowStep, idSchema, isoTime, LIMITS, offsetSchema, scoreSchema, timeSchema, topSchema, type AttributeFilter, type SearchResult } from '../../common/contract';
import { checkedNumber, checkedText, openCaseFor, parse, UsageError } from '../args';
import { formatDuration } from '../progress';
import { describeChoice } from '../../engine/vision/caseModel';

const USAGE = 'sightline search "<description>" --db <case.sqlite> | --server <conn> [--top K] [--offset N] [--video ID]... [--camera NAME]... [--from S --to S] [--from-wall ISO --to-wall ISO] [--min-score X] [--include-rejected] [--thumbnails DIR]\n         [--gender male|female] [--upper-colour C] [--lower-colour C] [--bag yes|no] [--hat yes|no] [--json]\n       sightline search --similar <sighting-id> --db <case.sqlite> | --server <conn> [--top K] [--offset N] [--json]\n       sightline search --same-person <sighting-id> --db <case.sqlite> | --server <conn> [--top K] [--video ID]... [--json]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    db: { type: 'string' }, server: { type: 'string' }, 'from-wall': { type: 'string' }, 'to-wall': { type: 'string' }, top: { type: 'string' }, video: { type: 'string', multiple: true }, camera: { type: 'string', multiple: true },
    from: { type: 'string' }, to: { type: 'string' }, 'min-score': { type: 'string' }, similar: { type: 'string' }, 'same-person': { type: 'string' }, json: { type: 'boolean' },
    offset: { type: 'string' }, 'include-rejected': { type: 'boolean' }, thumbnails: { type: 'string' },
    gender: { type: 'string' }, 'upper-colour': { type: 'string' }, 'lower-colour': { type: 'string' }, bag: { type: 'string' }, hat: { type: 'string' },
  }, USAGE);
  const attributes = attributeFilter(values);
  // The same limits as the IPC layer (one table, common/limits.ts): --top=-1, 0 or 1e9 and --from after --to are usage errors.
  const top = checkedNumber(values.top, '--top', topSchema, USAGE) ?? LIMITS.defaultTop;
  const videoIds = values.video?.map((v) => checkedNumber(v, '--video', idSchema, USAGE)!);
  const similar = checkedNumber(values.similar, '--similar', idSchema, USAGE);
  const samePerson = checkedNumber(values['same-person'], '--same-person', idSchema, USAGE);
  if (samePerson !== undefined && (similar !== undefined || positionals.length)) throw new UsageError(`--same-person takes a sighting, not a description or --similar\nusage: ${USAGE}`);
  const minScore = checkedNumber(values['min-score'], '--min-score', scoreSchema, USAGE);
  const offset = checkedNumber(values.offset, '--offset', offsetSchema, USAGE);
  const from = checkedNumber(values.from, '--from', timeSchema, USAGE);
  const to = checkedNumber(values.to, '--to', timeSchema, USAGE);
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from ${values.from} is after --to ${values.to}\nusage: ${USAGE}`);
  const fromWall = checkedText(values['from-wall'], '--from-wall', isoTime, USAGE);
  const toWall = checkedText(values['to-wall'], '--to-wall', isoTime, USAGE);
  if (fromWall && toWall && Date.parse(fromWall) > Date.parse(toWall)) throw new UsageError(`--from-wall ${fromWall} is after --to-wall ${toWall}\nusage: ${USAGE}`);
  const text = positionals.join(' ').trim();
  if (!text && similar === undefined && samePerson === undefined) throw new UsageError(`describe the person, e.g. "woman in a red jacket with a black backpack"\nusage: ${USAGE}`);
  if (text.length > LIMITS.searchText) throw new UsageError(`the description is longer than ${LIMITS.searchText} characters\nusage: ${USAGE}`);
  const engine = new Engine();
  try {
    await openCaseFor(engine, values, USAGE);
    const filters = { top, offset, videoIds, cameras: values.camera, minScore, includeRejected: values['include-rejected'] || undefined };
    if (samePerson !== undefined) {
      const r = await engine.searchSamePerson({ sightingId: samePerson, ...filters });
      if (values.json) process.stdout.write(`${JSON.stringify({ hits: r.hits, follow: r.follow, modelId: r.modelId })}\n`);
      else { printTable(r); printFollow(r.follow); }
      return 0;
    }
    const result = similar !== undefined
      ? await engine.searchSimilar({ sightingId: similar, ...filters })
      : await engine.search({ text, ...filters, from, to, fromWall, toWall, ...(attributes ? { attributes } : {}) });
    // Which IVT model read the description, and why that one (the case's, a setting, the default), said once.
    const chosenBy = result.interpretation ? (await engine.ivtModelChoice()).chosenBy : undefined;
    if (chosenBy && !values.json) process.stderr.write(`model: ${describeChoice(result.modelId, chosenBy)}\n`);
    if (result.unknownWords.length) process.stderr.write(`sightline: the model does not know: ${result.unknownWords.join(', ')} (ignored)\n`);
    const q = result.query;
    if (q?.droppedTokens) process.stderr.write(`sightline: warning: the description is longer than the model reads (${q.maxTokens} tokens): the last ${q.droppedTokens} token(s) were ignored\n`);
    if (q?.noKnownWords) {
      // A ranking of a query the model cannot read would look confident and mean nothing: none is shown.
      process.stderr.write('sightline: the model knows none of the words of this description: no ranking shown (try colours and clothing words)\n');
      if (values.json) process.stdout.write(`${JSON.stringify({ error: 'no known words', noKnownWords: true, unknownWords: result.unknownWords, hits: [] })}\n`);
      return 1;
    }
    // Thumbnails as PNG files anything can open (media:// URLs mean something only inside the app).
    if (values.thumbnails) {
      const dir = path.resolve(values.thumbnails);
      fs.mkdirSync(dir, { recursive: true });
      for (const h of result.hits) {
        const png = await engine.mediaFile({ kind: 'thumbnail', sightingId: h.sighting });
        if (png?.kind !== 'bytes') continue;
        const file = path.join(dir, `sighting-${h.sighting}.png`);
        fs.writeFileSync(file, png.data);
        h.thumbnail = file;
      }
    }
    if (result.nextOffset !== null && !values.json) process.stderr.write(`sightline: more results: --offset ${result.nextOffset}\n`);
    if (values.json) {
      // Description searches: the interpretation and the no-match state travel with the hits; "similar": the hits alone.
      const out = result.interpretation
        ? { interpretation: result.interpretation, noStrongMatch: result.noStrongMatch, unknownWords: result.unknownWords, modelId: result.modelId, modelChosenBy: chosenBy, hits: result.hits }
        : result.hits;
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else printTable(result);
    return 0;
  } finally {
    await engine.close();
  }
}

function printFollow(steps: FollowStep[]): void {
  process.stdout.write(`follow (same person, corrected wall clock):\n`);
  for (const s of steps) {
    const gap = s.gapS === null ? '' : `  +${s.gapS.toFixed(1)} s${s.cameraChanged ? ' (camera change)' : ''}`;
    process.stdout.write(`  ${(s.wallClock ?? 'clock unknown').padEnd(26)}sighting ${String(s.sighting).padEnd(8)}video ${s.videoId}${s.camera ? ` (${s.camera})` : ''}  score ${s.score.toFixed(2)}${gap}\n`);
  }
}

/** --gender/--upper-colour/--lower-colour/--bag/--hat, checked by the contract's schema (the UI's filters). */
function attributeFilter(v: { gender?: string; 'upper-colour'?: string; 'lower-colour'?: string; bag?: string; hat?: string }): AttributeFilter | undefined {
  const yesNo = (x: string | undefined, flag: string): boolean | undefined => {
    if (x === undefined) return undefined;
    if (/^(yes|true|1)$/i.test(x)) return true;
    if (/^(no|false|0)$/i.test(x)) return false;
    throw new UsageError(`${flag}: "${x}" expected yes or no\nusage: ${USAGE}`);
  };
  const f = { gender: v.gender, upperColour: v['upper-colour'], lowerColour: v['lower-colour'], bag: yesNo(v.bag, '--bag'), hat: yesNo(v.hat, '--hat') };
  const clean = Object.fromEntries(Object.entries(f).filter(([, x]) => x !== undefined));
  if (Object.keys(clean).length === 0) return undefined;
  const r = AttributeFilterSchema.safeParse(clean);
  if (!r.success) {
    const flag: Record<string, string> = { gender: '--gender', upperColour: '--upper-colour', lowerColour: '--lower-colour' };
    const issue = r.error.issues[0];
    throw new UsageError(`${flag[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}\nusage: ${USAGE}`);
  }
  return r.data;
}

function printTable(r: SearchResult): void {
  // The interpretation is shown, never applied silently.
  if (r.interpretation) process.stdout.write(`understood: ${r.interpretation.summary}\n`);
  if (r.noStrongMatch && r.hits.length) process.stdout.write('no strong match in this case: the results below are possible or weak matches\n');
  if (r.hits.length === 0) { process.stdout.write('no sightings\n'); return; }
  process.stdout.write(`${'rank'.padEnd(5)}${'score'.padEnd(8)}${'sighting'.padEnd(10)}${'time'.padEnd(10)}${'span'.padEnd(16)}${'bbox'.padEnd(22)}video\n`);
  r.hits.forEach((h, i) => {
    const span = `${formatDuration(h.start)}–${formatDuration(h.end)}`;
    process.stdout.write(`${String(i + 1).padEnd(5)}${h.score.toFixed(3).padEnd(8)}${String(h.sighting).padEnd(10)}${formatDuration(h.time).padEnd(10)}${span.padEnd(16)}${h.bbox.join(',').padEnd(22)}${h.video}${h.wallClock ? `  @ ${h.wallClock}` : ''}\n`);
    if (h.confidence) process.stdout.write(`     ${h.confidence}${h.chips?.length ? `  ${h.chips.map((c) => `${c.label} ${c.ok ? '✓' : '✗'}`).join(' · ')}` : ''}\n`);
  });
  process.stdout.write(`(${r.hits.length} sightings, model ${r.modelId}, ${r.tookMs} ms)\n`);
}
