// sightline demo [--db <case.sqlite>] [--query "<description>"] — the bundled sample case, end to end:
// index resources/sample-case/, run a description query, print the ranked sightings.
// sightline demo --real — the same on real CCTV: OpenCV's vtest.avi (Debian package opencv-doc).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../engine/vision/manifest';
import { parse, UsageError } from '../args';
import { run as index } from './index';
import { run as search } from './search';

const USAGE = 'sightline demo [--real] [--db <case.sqlite>] [--query "<description>"] [--json]';
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
  const { values, positionals } = parse(args, { db: { type: 'string' }, query: { type: 'string' }, json: { type: 'boolean' }, real: { type: 'boolean' } }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const json = values.json ? ['--json'] : [];
  if (values.real) return real(values.db, values.query, json);
  const sample = path.join(packageRoot(), 'resources', 'sample-case');
  const db = values.db ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-demo-')), 'sample-case.sqlite');
  const query = values.query ?? DEMO_QUERY;
  process.stderr.write(`sample case: ${sample}\ncase file:   ${db}\n`);
  const code = await index([sample, '--db', db, ...json]);
  if (code !== 0) return code;
  process.stderr.write(`\nsearch: "${query}"\n`);
  return search([query, '--db', db, '--top', '10', ...json]);
}

async function real(dbFlag: string | undefined, query: string | undefined, json: string[]): Promise<number> {
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
  const db = dbFlag ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-demo-')), 'vtest.sqlite');
  process.stderr.write(`real footage: ${video}\ncase file:    ${db}\n`);
  const code = await index([video, '--db', db, ...json]);
  if (code !== 0) return code;
  for (const description of query ? [query] : VTEST_DESCRIPTIONS) {
    // The table goes to stdout under its description; with --json each search prints one JSON object.
    if (json.length) process.stderr.write(`\nsearch: "${description}"\n`);
    else process.stdout.write(`\n== ${description}\n`);
    const r = await search([description, '--db', db, '--top', '5', ...json]);
    if (r !== 0) return r;
  }
  process.stderr.write('\nThese are investigative leads: look at each sighting in the footage before relying on it.\n');
  return 0;
}
