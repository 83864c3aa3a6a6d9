// Search quality on real CCTV, end to end through the engine: index vtest.avi (real pedestrians),
// then query with the hand-written descriptions of native-models/synth/real_eval and check where
// the described person's sighting lands. The chance baseline (random ranking) is computed in the
// same run. Run: npm run bench:real [-- --json]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../electron/engine/api';
import type { BBox } from '../../electron/engine/contract';
import { iou } from '../../electron/engine/vision/nms';
import { embeddingSpace, packageRoot } from '../../electron/engine/vision/manifest';
import { vtestAvi } from './fixtures';

export interface Annotations {
  persons: { id: number; captions: string[] }[];
  crops: { frame: number; bbox: BBox; person: number }[];
}

const VTEST_FPS = 10;

/** Which annotated people each sighting shows: a detection of the sighting overlaps their box at that frame. */
export function peopleOfSightings(dbFile: string, ann: Annotations): Map<number, Set<number>> {
  const db = new Database(dbFile, { readonly: true });
  const near = db.prepare('SELECT sighting_id, x, y, w, h FROM detections WHERE abs(t_s - ?) < 0.01');
  const out = new Map<number, Set<number>>();
  for (const c of ann.crops) {
    for (const d of near.all(c.frame / VTEST_FPS) as { sighting_id: number; x: number; y: number; w: number; h: number }[]) {
      if (iou([d.x, d.y, d.w, d.h], c.bbox) < 0.3) continue;
      if (!out.has(d.sighting_id)) out.set(d.sighting_id, new Set());
      out.get(d.sighting_id)!.add(c.person);
    }
  }
  db.close();
  return out;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const ann = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'native-models', 'synth', 'real_eval', 'vtest_annotations.json'), 'utf8')) as Annotations;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-real-'));
  const dbFile = path.join(dir, 'vtest.sqlite');
  const engine = new Engine();
  await engine.createCase({ path: dbFile, caseNumber: 'bench', investigator: 'bench' });
  const report = await engine.importPaths({ paths: [vtestAvi()] });
  if (report.failed.length) throw new Error(JSON.stringify(report.failed));
  const status = await engine.status();
  const people = peopleOfSightings(dbFile, ann);
  const sightings = status.sightings;

  const ranks: { person: number; caption: string; rank: number | null; chanceR1: number; chanceR5: number }[] = [];
  for (const p of ann.persons) {
    const mine = [...people.values()].filter((s) => s.has(p.id)).length;
    if (mine === 0) continue; // the detector never found this person: not a search question
    for (const caption of p.captions) {
      const r = await engine.search({ text: caption, top: sightings });
      const idx = r.hits.findIndex((h) => people.get(h.sighting)?.has(p.id));
      // Chance that a random ranking puts one of `mine` relevant sightings in the top k.
      const chance = (k: number): number => 1 - [...Array(k).keys()].reduce((q, i) => q * (sightings - mine - i) / (sightings - i), 1);
      ranks.push({ person: p.id, caption, rank: idx < 0 ? null : idx + 1, chanceR1: chance(1), chanceR5: chance(5) });
    }
  }
  await engine.close();
  const at = (k: number): number => ranks.filter((r) => r.rank !== null && r.rank <= k).length / ranks.length;
  const mean = (f: (r: (typeof ranks)[number]) => number): number => ranks.reduce((s, r) => s + f(r), 0) / ranks.length;
  const ivt = status.models.find((m) => m.kind === 'ivt');
  const figures = {
    model: ivt && embeddingSpace(ivt), sightings, queries: ranks.length,
    peopleFound: new Set(ranks.map((r) => r.person)).size, peopleAnnotated: ann.persons.length,
    R1: at(1), R5: at(5), R10: at(10), chanceR1: mean((r) => r.chanceR1), chanceR5: mean((r) => r.chanceR5),
    medianRank: ranks.map((r) => r.rank ?? sightings + 1).sort((a, b) => a - b)[Math.floor(ranks.length / 2)],
  };
  if (json) { process.stdout.write(`${JSON.stringify({ ...figures, ranks })}\n`); return; }
  for (const r of ranks) process.stdout.write(`${String(r.rank ?? '-').padStart(3)}  person ${String(r.person).padEnd(3)} ${r.caption}\n`);
  process.stdout.write(`\nvtest.avi: ${figures.sightings} sightings, ${figures.peopleFound}/${figures.peopleAnnotated} annotated people found by the detector, ${figures.queries} queries (model ${figures.model})\n`);
  process.stdout.write(`R@1 ${(figures.R1 * 100).toFixed(1)}%  R@5 ${(figures.R5 * 100).toFixed(1)}%  R@10 ${(figures.R10 * 100).toFixed(1)}%  median rank ${figures.medianRank}\n`);
  process.stdout.write(`chance (random ranking, same sightings): R@1 ${(figures.chanceR1 * 100).toFixed(1)}%  R@5 ${(figures.chanceR5 * 100).toFixed(1)}%\n`);
}

if (require.main === module) main().catch((e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exitCode = 1; });
