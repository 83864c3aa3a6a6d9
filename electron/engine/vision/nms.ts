// Greedy non-maximum suppression over [x, y, w, h] boxes.
import type { BBox } from '../contract';

export interface ScoredBox {
  bbox: BBox;
  score: number;
  /** Boxes of different classes never suppress each other in nmsPerClass. */
  classId?: number;
}

/** Intersection over union of two [x, y, w, h] boxes; 0 when either is empty. */
export function iou(a: BBox, b: BBox): number {
  const ix = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const iy = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Keeps the highest-scoring box, drops every remaining box whose IoU with it exceeds
 * iouThreshold, repeats. Output is sorted by score (ties keep input order).
 */
export function nms<T extends ScoredBox>(items: readonly T[], iouThreshold: number, maxDetections = Infinity): T[] {
  const order = items.map((_, i) => i).sort((i, j) => items[j].score - items[i].score || i - j);
  const suppressed = new Uint8Array(items.length);
  const kept: T[] = [];
  for (let k = 0; k < order.length && kept.length < maxDetections; k++) {
    const i = order[k];
    if (suppressed[i]) continue;
    kept.push(items[i]);
    for (let m = k + 1; m < order.length; m++) {
      const j = order[m];
      if (!suppressed[j] && iou(items[i].bbox, items[j].bbox) > iouThreshold) suppressed[j] = 1;
    }
  }
  return kept;
}

/** NMS run separately for each classId; result sorted by score. */
export function nmsPerClass<T extends ScoredBox>(items: readonly T[], iouThreshold: number): T[] {
  const byClass = new Map<number, T[]>();
  for (const it of items) {
    const c = it.classId ?? 0;
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(it);
  }
  const out: T[] = [];
  for (const list of byClass.values()) out.push(...nms(list, iouThreshold));
  return out.sort((a, b) => b.score - a.score);
}
