// Filter strings of the annotated clip and snapshot (evidence/filters.ts): pure string building,
// checked here; that ffmpeg accepts and draws them is checked by test/integration/evidence-export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annotationFilters, trackSpans, drawbox, drawtextStatic, snapshotFilter, snapshotStamp, textSize } from '../../electron/engine/evidence/filters';

const noText = { drawtext: false, fontFile: null };
const withFont = { drawtext: true, fontFile: 'C:/Windows/Fonts/consola.ttf' };

test('drawbox scales the line with the picture and takes an enable expression', () => {
  assert.equal(drawbox([10, 20, 30, 40], 640), 'drawbox=x=10:y=20:w=30:h=40:color=red@1:t=2');
  assert.equal(drawbox([1, 2, 3, 4], 1920, 'between(t,1,2)'), "drawbox=x=1:y=2:w=3:h=4:color=red@1:t=6:enable='between(t,1,2)'");
});

test('the clip chain draws only boxes inside the window, at times relative to its start', () => {
  const spans = [
    { from: 1, to: 2, box: [0, 0, 5, 5] as [number, number, number, number] },   // before the window
    { from: 10, to: 11.5, box: [1, 1, 5, 5] as [number, number, number, number] },
    { from: 40, to: 41, box: [2, 2, 5, 5] as [number, number, number, number] },  // after it
  ];
  const chain = annotationFilters(noText, spans, 640, 360, 8, 20, null);
  // Half-open span [2, 3.5): a frame at a span boundary gets the next box only, never two.
  assert.equal(chain, "drawbox=x=1:y=1:w=5:h=5:color=red@1:t=2:enable='gte(t,2.000000)*lt(t,3.500000)'");
  assert.equal(annotationFilters(noText, [], 640, 360, 0, 10, null), 'null');
});

test('time stamps: source time always, wall clock only with a clock, Windows drive colon escaped', () => {
  const src = annotationFilters(withFont, [], 640, 360, 5, 10, null);
  assert.equal(src.split(',\n').length, 1);
  assert.match(src, /^drawtext=fontfile='C\\:\/Windows\/Fonts\/consola.ttf':.*text='SRC %\{pts\\:hms\\:5\.000000\}'$/);
  const both = annotationFilters(withFont, [], 640, 360, 5, 10, '2026-03-14T09:30:00.000Z').split(',\n');
  assert.equal(both.length, 2);
  assert.match(both[1], new RegExp(`gmtime\\\\:${(Date.parse('2026-03-14T09:30:00.000Z') / 1000 + 5).toFixed(3)}`));
});

test('snapshot text keeps only safe characters and fits the frame', () => {
  const line = snapshotStamp(62.5, '2026-03-14T09:30:02.500Z');
  assert.equal(line, 'SRC 00:01:02.500  UTC 2026-03-14 09:30:02.500');
  const f = drawtextStatic(withFont, "it's; [x]", 640, 360);
  assert.match(f, /text='its x'$/);
  assert.ok(textSize(320, 240, 40) >= 8 && textSize(320, 240, 40) * 0.62 * 40 <= 320 - 24);
  assert.equal(snapshotFilter(noText, [1, 2, 3, 4], 640, 360, line), drawbox([1, 2, 3, 4], 640));
  assert.ok(snapshotFilter(withFont, [1, 2, 3, 4], 640, 360, line).startsWith(`${drawbox([1, 2, 3, 4], 640)},drawtext=`));
});

test('the moving box: one span per frame, interpolated between detections, contiguous, exactly one box at any time', () => {
  const points = [{ t: 1, bbox: [100, 50, 40, 120] as [number, number, number, number] }, { t: 2, bbox: [200, 70, 40, 120] as [number, number, number, number] }];
  const spans = trackSpans(points, 10);
  assert.equal(spans.length, 11);
  assert.deepEqual(spans[0], { from: 1, to: 1.1, box: [100, 50, 40, 120] });
  const mid = spans.find((s) => Math.abs(s.from - 1.5) < 1e-9)!;
  assert.deepEqual(mid.box, [150, 60, 40, 120]);
  for (let i = 1; i < spans.length; i++) assert.ok(Math.abs(spans[i].from - spans[i - 1].to) < 1e-9, `gap or overlap at span ${i}`);
  assert.deepEqual(spans[spans.length - 1].box, [200, 70, 40, 120]);
  // x never stays put for more than a frame while the person moves.
  for (let i = 1; i < spans.length - 1; i++) assert.ok(spans[i].box[0] > spans[i - 1].box[0]);
  assert.deepEqual(trackSpans([points[0]], 10), [{ from: 1, to: 1.5, box: [100, 50, 40, 120] }]);
  assert.deepEqual(trackSpans([], 10), []);
});

test('the moving box of a stitched sighting: no box while the person was not seen', () => {
  const b = (x: number): [number, number, number, number] => [x, 50, 40, 120];
  const points = [{ t: 1, bbox: b(100) }, { t: 1.5, bbox: b(120) }, { t: 11, bbox: b(500) }, { t: 11.5, bbox: b(520) }];
  const spans = trackSpans(points, 10);
  assert.ok(spans.some((s) => s.from < 1.5) && spans.some((s) => s.from >= 11));
  const inGap = spans.filter((s) => s.to > 1.5 + 0.1 + 1e-9 && s.from < 11 - 1e-9);
  assert.deepEqual(inGap, [], 'no span between 1.6 s and 11 s');
  assert.deepEqual(spans.find((s) => Math.abs(s.from - 11) < 1e-9)?.box, b(500));
});
