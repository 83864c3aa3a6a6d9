// Cost of understanding a description (parse + rewrite for the IVT vocabulary), per query, over the
// investigator phrasings of the parser test. Target ≤ 5 ms per query. Not a test: it prints figures.
//   node dist/test/bench/query-parse.js            (also part of `npm run bench`, query section)
import * as path from 'node:path';
import { interpretQuery, loadIvtVocabulary } from '../../electron/engine/query/interpret';
import { loadIvtModel } from '../../electron/engine/vision/manifest';
import { PHRASINGS } from '../fixtures/query-phrasings';
import { percentile } from './search';

export function benchQueryParsing(ivtModel: string | undefined, rounds: number): { medianMs: number; p95Ms: number; maxMs: number; queries: number } {
  // A query is interpreted once per member, in each member's vocabulary (search/search.ts).
  const members = loadIvtModel(ivtModel).members.map((m) => ({ vocab: loadIvtVocabulary(path.join(m.dir, m.tokenizer.vocab)), maxTokens: m.text.maxTokens }));
  const interpret = (t: string): void => { for (const m of members) interpretQuery(t, { ivtVocabulary: m.vocab, maxTokens: m.maxTokens }); };
  const texts = PHRASINGS.map((p) => p.text);
  for (const t of texts) interpret(t); // warm-up (JIT)
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of texts) {
      const t0 = performance.now();
      interpret(t);
      ms.push(performance.now() - t0);
    }
  }
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { medianMs: round(percentile(ms, 50)), p95Ms: round(percentile(ms, 95)), maxMs: round(Math.max(...ms)), queries: ms.length };
}

if (require.main === module) {
  const f = benchQueryParsing(process.env.SIGHTLINE_IVT_MODEL || undefined, 50);
  console.log(`query parsing + interpretation: median ${f.medianMs} ms, p95 ${f.p95Ms} ms, max ${f.maxMs} ms per query over ${f.queries} queries (${PHRASINGS.length} phrasings); target ≤ 5 ms`);
}
