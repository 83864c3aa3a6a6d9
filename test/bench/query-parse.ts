// Cost of understanding a description (parse + rewrite for the IVT vocabulary), per query, over the
// investigator phrasings of the parser test. Target ≤ 5 ms per query. Not a test: it prints figures.
//   node dist/test/bench/query-parse.js            (also part of `npm run bench`, query section)
import * as path from 'node:path';
import { interpretQuery, loadIvtVocabulary } from '../../electron/engine/query/interpret';
import { loadIvtManifest } from '../../electron/engine/vision/manifest';
import { PHRASINGS } from '../fixtures/query-phrasings';
import { percentile } from './search';

export function benchQueryParsing(ivtModel: string | undefined, rounds: number): { medianMs: number; p95Ms: number; maxMs: number; queries: number } {
  const m = loadIvtManifest(ivtModel);
  const vocab = loadIvtVocabulary(path.join(m.dir, m.tokenizer.vocab));
  const texts = PHRASINGS.map((p) => p.text);
  for (const t of texts) interpretQuery(t, { ivtVocabulary: vocab, maxTokens: m.text.maxTokens }); // warm-up (JIT)
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of texts) {
      const t0 = performance.now();
      interpretQuery(t, { ivtVocabulary: vocab, maxTokens: m.text.maxTokens });
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
