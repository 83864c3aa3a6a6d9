// ffmpeg filter strings for evidence: the sighting's box and the burned-in source / wall-clock time.
// Pure string building (no processes), so the escaping rules live in one place.
import * as fs from 'node:fs';
import type { BBox, TrackPoint } from '../contract';
import { boxAt, bridgeLimit } from '../../common/track';
import { secs } from '../video/ffmpeg';
import { hms } from './report';

/** What the installed ffmpeg can draw with. */
export interface TextSupport { drawtext: boolean; fontFile: string | null }

/** One box shown from `from` (included) to `to` (excluded), seconds of source time. */
export interface BoxSpan { from: number; to: number; box: BBox }

/** Most box spans one clip draws (each is a drawbox in the filter script); a longer sighting steps coarser. */
const MAX_SPANS = 4000;

/**
 * The moving box of a sighting as spans one frame long: at each step from the first detection to the
 * last, the box interpolated between the two detections around it (common/track.ts — the player draws
 * the same), held until the next step. Contiguous and half-open, so exactly one box is on any frame.
 * This ffmpeg's drawbox evaluates its position once, not per frame: hence one drawbox per step.
 * A single detection shows for `holdS`.
 */
export function trackSpans(points: readonly TrackPoint[], fps: number, holdS = 0.5): BoxSpan[] {
  if (points.length === 0) return [];
  const round = (b: BBox): BBox => b.map(Math.round) as BBox;
  const first = points[0].t;
  const last = points[points.length - 1].t;
  const frame = fps > 0 ? 1 / fps : 1 / 25;
  if (last - first < frame) return [{ from: first, to: first + Math.max(holdS, frame), box: round(points[0].bbox) }];
  const step = Math.max(frame, (last - first) / MAX_SPANS);
  const spans: BoxSpan[] = [];
  const limit = bridgeLimit(points);
  for (let k = 0; first + k * step < last; k++) {
    const from = first + k * step;
    // In a gap the person was not seen (common/track.ts): no box there.
    const box = boxAt(points, from, limit);
    if (box) spans.push({ from, to: Math.min(last, from + step), box: round(box) });
  }
  // The frame of the last detection shows its box too.
  spans.push({ from: last, to: last + frame, box: round(points[points.length - 1].bbox) });
  return spans;
}

/** A TrueType font drawtext can use; null falls back to fontconfig's "Sans". */
export function findFont(): string | null {
  const candidates = [
    '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
    '/usr/share/fonts/dejavu/DejaVuSansMono.ttf',
    '/System/Library/Fonts/Menlo.ttc',
    '/Library/Fonts/Arial.ttf',
    'C:/Windows/Fonts/consola.ttf',
    'C:/Windows/Fonts/arial.ttf',
  ];
  // Only plain paths: anything else would need filter-graph escaping we do not want to get wrong.
  return candidates.find((f) => /^([A-Za-z]:)?[A-Za-z0-9/._ -]+$/.test(f) && fs.existsSync(f)) ?? null;
}

/** A red box, its line width scaled to the picture; `enable` limits it to a time expression. */
export function drawbox(b: BBox, videoWidth: number, enable?: string): string {
  const t = Math.max(2, Math.round(videoWidth / 320));
  return `drawbox=x=${b[0]}:y=${b[1]}:w=${b[2]}:h=${b[3]}:color=red@1:t=${t}${enable ? `:enable='${enable}'` : ''}`;
}

function fontOption(text: TextSupport): string {
  if (!text.fontFile) return "font='Sans'";
  return `fontfile='${text.fontFile.replace(/^([A-Za-z]):/, '$1\\:')}'`;
}

/** Font size that keeps a line of `chars` monospace characters inside the frame (~0.6 em per glyph). */
export function textSize(width: number, height: number, chars: number): number {
  return Math.max(8, Math.floor(Math.min(height / 24, (width - 24) / (0.62 * chars))));
}

/** Fixed text (digits, letters, '-', '.', ':' only) for a still frame. */
export function drawtextStatic(text: TextSupport, line: string, width: number, height: number): string {
  const safe = line.replace(/[^A-Za-z0-9 .:()-]/g, '').replace(/:/g, '\\:');
  return `drawtext=${fontOption(text)}:fontsize=${textSize(width, height, safe.length)}:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=4:x=8:y=h-th-8:text='${safe}'`;
}

/** The line stamped on an annotated snapshot: source time, and UTC when the clock is known. */
export function snapshotStamp(timeS: number, wall: string | null): string {
  return `SRC ${hms(timeS)}${wall ? `  UTC ${wall.replace('T', ' ').replace('Z', '')}` : ''}`;
}

/** The annotated snapshot's filter: the box, plus the time stamp when drawtext exists. */
export function snapshotFilter(text: TextSupport, box: BBox, width: number, height: number, stampLine: string): string {
  const boxFilter = drawbox(box, width);
  return text.drawtext ? `${boxFilter},${drawtextStatic(text, stampLine, width, height)}` : boxFilter;
}

/**
 * The annotated clip's filter chain for the window [start, end] (source seconds): each box while
 * its detection holds, the running source time at the bottom and, when `clockBase` (ISO UTC of
 * source time 0) is known, the wall-clock time at the top. 'null' when there is nothing to draw.
 */
export function annotationFilters(
  text: TextSupport, spans: readonly BoxSpan[], width: number, height: number,
  start: number, end: number, clockBase: string | null,
): string {
  const filters: string[] = [];
  for (const sp of spans.slice(0, MAX_SPANS + 1)) {
    const a = sp.from - start;
    const b = sp.to - start;
    if (b < 0 || a > end - start) continue;
    // Half-open [a, b): where one span ends the next begins, and a frame on the boundary gets one box, not two.
    filters.push(drawbox(sp.box, width, `gte(t,${secs(a)})*lt(t,${secs(b)})`));
  }
  if (text.drawtext) {
    const size = textSize(width, height, 24); // "UTC 2026-03-14 09:30:01" is the longer line
    const common = `${fontOption(text)}:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=4:x=8`;
    filters.push(`drawtext=${common}:y=h-th-8:text='SRC %{pts\\:hms\\:${secs(start)}}'`);
    if (clockBase) {
      const epoch = Date.parse(clockBase) / 1000 + start;
      filters.push(`drawtext=${common}:y=8:text='UTC %{pts\\:gmtime\\:${epoch.toFixed(3)}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}'`);
    }
  }
  return filters.length ? filters.join(',\n') : 'null';
}
