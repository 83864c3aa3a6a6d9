// Cost of turning one description into a query vector: tokenizer + IVT text encoder, median of many.
import { IvtTextEncoder } from '../../electron/engine/vision/ivt';
import { percentile } from './search';

const DESCRIPTIONS = [
  'a woman in a red jacket and blue jeans with a black backpack',
  'man wearing a grey hoodie, black trousers and white trainers',
  'a person with a yellow umbrella',
  'tall man in a dark suit carrying a brown briefcase, short black hair',
  'girl in a pink dress with long blonde hair and a small white handbag',
  'an older man with a walking stick, beige coat and flat cap',
];

export async function benchTextEmbedding(ivtModel: string | undefined, runs: number): Promise<{ medianMs: number; p95Ms: number; runs: number }> {
  const enc = await IvtTextEncoder.load(ivtModel, 'cpu');
  try {
    for (let i = 0; i < 5; i++) await enc.embed(DESCRIPTIONS[i % DESCRIPTIONS.length]);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await enc.embed(DESCRIPTIONS[i % DESCRIPTIONS.length]);
      ms.push(performance.now() - t);
    }
    return { medianMs: Math.round(percentile(ms, 50) * 100) / 100, p95Ms: Math.round(percentile(ms, 95) * 100) / 100, runs };
  } finally {
    await enc.close();
  }
}
