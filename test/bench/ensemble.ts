// The devset bench's two-model ensemble compares two cases indexed with one model each: their sightings
// are matched here, then ranked by the product's ensemble (electron/engine/search/ensemble.ts).

/** What makes two cases' sightings the same sighting: video (as annotated), start, end and every detection. */
export interface SightingKey { id: number; key: string }

/**
 * The second case's sighting ids in the first case's numbering, by identical keys (tracking and detection
 * do not depend on the IVT model, so indexing the same footage twice should give the same sightings).
 */
export function matchSightings(first: readonly SightingKey[], second: readonly SightingKey[]): { map: Map<number, number>; onlyFirst: number; onlySecond: number } {
  const count = (xs: readonly SightingKey[]): Map<string, number> => { const m = new Map<string, number>(); for (const x of xs) m.set(x.key, (m.get(x.key) ?? 0) + 1); return m; };
  const n1 = count(first), n2 = count(second);
  const firstOf = new Map(first.filter((x) => n1.get(x.key) === 1).map((x) => [x.key, x.id]));
  const map = new Map<number, number>();
  for (const x of second) if (n2.get(x.key) === 1 && firstOf.has(x.key)) map.set(x.id, firstOf.get(x.key)!);
  return { map, onlyFirst: first.length - map.size, onlySecond: second.length - map.size };
}
