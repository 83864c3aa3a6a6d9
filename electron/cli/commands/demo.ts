// sightline demo [--db <case.sqlite>] [--query "<description>"] — the bundled sample case, end to end:
// index resources/sample-case/, run a description query, print the ranked sightings.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../engine/vision/manifest';
import { parse } from '../args';
import { run as index } from './index';
import { run as search } from './search';

const USAGE = 'sightline demo [--db <case.sqlite>] [--query "<description>"] [--json]';
export const DEMO_QUERY = 'woman in a red jacket with a black backpack';

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, query: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const sample = path.join(packageRoot(), 'resources', 'sample-case');
  const db = values.db ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-demo-')), 'sample-case.sqlite');
  const query = values.query ?? DEMO_QUERY;
  process.stderr.write(`sample case: ${sample}\ncase file:   ${db}\n`);
  const code = await index([sample, '--db', db, ...(values.json ? ['--json'] : [])]);
  if (code !== 0) return code;
  process.stderr.write(`\nsearch: "${query}"\n`);
  return search([query, '--db', db, '--top', '10', ...(values.json ? ['--json'] : [])]);
}
