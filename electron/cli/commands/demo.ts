// sightline demo [--db <case.sqlite> | --server <conn>] [--query "<description>"] — the bundled sample
// case, end to end: index resources/sample-case/, run a description query, print the ranked sightings.
// On a team case the footage is queued and indexed by a worker in this process, as a worker machine would.
// sightline demo --real — the same on real CCTV: OpenCV's vtest.avi (Debian package opencv-doc).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../engine/vision/manifest';
import { parse, UsageError } from '../args';
import { withPromptedPassword } from '../password';
import { run as index } from './index';
import { run as search } from './search';
import { run as worker } from './worker';

const USAGE = 'sightline demo [--real] [--db <case.sqlite> | --server <conn>] [--query "<description>"] [--json]';
export const DEMO_QUERY = 'woman in a red jacket with a black backpack';

/** Where Debian's opencv-doc puts OpenCV's pedestrian test clip (768x576, 79.5 s, MS-MPEG4 in AVI). */
export const VTEST_PATH = '/usr/share/doc/opencv-doc/examples/data/vtest.avi';

/**
 * People one can see in vtest.avi, described from its frames (not from search results):
 * - ~56-62 s, left foreground: a woman with fair curly hair, a long black coat and blue jeans;
 * - ~54-60 s, beside her: a man in a puffer jacket, navy body with red shoulders, blue jeans, white shoes;
 * - ~36-42 s, centre: a man all in black (jacket and trousers);
 * - ~6-10 s and ~62-66 s, by the lamp post: a person in a light blue jacket and jeans.
 */
export const VTEST_DESCRIPTIONS = [
  'woman with blonde hair in a long black coat and blue jeans',
  'man in a navy jacket with red shoulders, blue jeans and white shoes',
  'man in a black jacket and black trousers',
  'person in a light blue jacket and blue jeans',
];

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, server: { type: 'string' }, query: { type: 'string' }, json: { type: 'boolean' }, real: { type: 'boolean' } }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const json = values.json ? ['--json'] : [];
  const given = values.server ?? (values.db ? undefined : process.env.SIGHTLINE_SERVER);
  // Asked once here when a password is due (cli/password.ts), not by each step.
  const server = given?.trim() ? await withPromptedPassword(given.trim()) : undefined;
  if (values.real) return real(values.db, server, values.query, json);
  const sample = path.join(packageRoot(), 'resources', 'sample-case');
  const query = values.query ?? DEMO_QUERY;
  process.stderr.write(`sample case: ${sample}\n`);
  const target = await indexInto(sample, values.db, server, 'sample-case.sqlite', json);
  if (typeof target === 'number') return target;
  process.stderr.write(`\nsearch: "${query}"\n`);
  return search([query, ...target, '--top', '10', ...json]);
}

/**
 * Indexes `footage` into the case the flags name (a new case file in a temp folder by default): on a team
 * case, queued and indexed by a worker in this process. Returns the flags naming the case, or an exit code.
 */
async function indexInto(footage: string, db: string | undefined, server: string | undefined, fileName: string, json: string[]): Promise<string[] | number> {
  if (server) {
    process.stderr.write('team case:   (the server given by --server / SIGHTLINE_SERVER)\n');
    const target = ['--server', server];
    // Progress on stderr: stdout carries the search results alone (one JSON object with --json).
    const { TeamCase } = await import('../../engine/team/teamCase');
    const { team, created } = await TeamCase.create(server);
    process.stderr.write(`${created ? 'created' : 'opened'} team case ${(await team.info()).caseNumber || '(no number)'}\n`);
    await team.close();
    for (const step of [() => index([footage, ...target]), () => worker([...target, '--until-done'])]) {
      const code = await step();
      if (code !== 0) return code;
    }
    return target;
  }
  const file = db ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-demo-')), fileName);
  process.stderr.write(`case file:   ${file}\n`);
  const code = await index([footage, '--db', file, ...json]);
  return code === 0 ? ['--db', file] : code;
}

async function real(dbFlag: string | undefined, server: string | undefined, query: string | undefined, json: string[]): Promise<number> {
  // SIGHTLINE_DEMO_VIDEO points the demo at another copy of the clip (and lets a test take it away).
  const video = process.env.SIGHTLINE_DEMO_VIDEO || VTEST_PATH;
  if (!fs.existsSync(video)) {
    process.stderr.write([
      `sightline demo --real: ${video} not found.`,
      'It is OpenCV\'s pedestrian test clip (vtest.avi), shipped by the Debian/Ubuntu package opencv-doc:',
      '  sudo apt-get install opencv-doc',
      '(or, without installing: apt-get download opencv-doc && dpkg-deb -x opencv-doc_*.deb ./opencv-doc,',
      ' then SIGHTLINE_DEMO_VIDEO=./opencv-doc/usr/share/doc/opencv-doc/examples/data/vtest.avi sightline demo --real)',
      '',
    ].join('\n'));
    return 1;
  }
  process.stderr.write(`real footage: ${video}\n`);
  const target = await indexInto(video, dbFlag, server, 'vtest.sqlite', json);
  if (typeof target === 'number') return target;
  for (const description of query ? [query] : VTEST_DESCRIPTIONS) {
    // The table goes to stdout under its description; with --json each search prints one JSON object.
    if (json.length) process.stderr.write(`\nsearch: "${description}"\n`);
    else process.stdout.write(`\n== ${description}\n`);
    const r = await search([description, ...target, '--top', '5', ...json]);
    if (r !== 0) return r;
  }
  process.stderr.write('\nThese are investigative leads: look at each sighting in the footage before relying on it.\n');
  return 0;
}
