// Cost of turning one description into a query vector: tokenizer + IVT text encoder, median of many.
import { IvtTextEncoder } from '../../electron/engine/vision/ivt';
import { loadIvtModel } from '../../electron/engine/vision/manifest';
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
  // A query runs every member's text encoder (an ensemble: each member reads the description).
  const encoders: IvtTextEncoder[] = [];
  try {
    for (const m of loadIvtModel(ivtModel).members) encoders.push(await IvtTextEncoder.load(m, 'cpu'));
    const embed = async (text: string): Promise<void> => { for (const enc of encoders) await enc.embed(text); };
    for (let i = 0; i < 5; i++) await embed(DESCRIPTIONS[i % DESCRIPTIONS.length]);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await embed(DESCRIPTIONS[i % DESCRIPTIONS.length]);
      ms.push(performance.now() - t);
    }
    return { medianMs: Math.round(percentile(ms, 50) * 100) / 100, p95Ms: Math.round(percentile(ms, 95) * 100) / 100, runs };
  } finally {
    for (const enc of encoders) await enc.close();
  }
}
