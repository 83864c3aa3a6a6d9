// Motion gating on synthetic frames: a still (noisy) scene is skipped, a moving block is processed,
// the periodic check fires, detections hold the gate open, pre-roll reaches back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPreRoll, DEFAULT_MOTION_GATE, greyGrid, MotionGate, type GateFrame } from '../../electron/engine/indexing/motionGate';

const W = 640, H = 360; // cells of 10×10 pixels, as 1280×720 frames give cells of 20×20

/** A textured still scene with per-frame sensor noise (±`noise`), and optionally a dark block. */
function frame(timeS: number, opts: { noise?: number; block?: { x: number; y: number; w: number; h: number }; seed?: number } = {}): GateFrame {
  const data = new Uint8Array(W * H * 3);
  let s = (opts.seed ?? Math.round(timeS * 1000) + 1) >>> 0;
  const rnd = (): number => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  const noise = opts.noise ?? 8;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = (y * W + x) * 3;
      const base = 80 + ((x >> 4) + (y >> 4)) % 3 * 40; // a checker of grass/road/wall tones
      const inBlock = opts.block && x >= opts.block.x && x < opts.block.x + opts.block.w && y >= opts.block.y && y < opts.block.y + opts.block.h;
      const v = (inBlock ? 20 : base) + Math.round((rnd() * 2 - 1) * noise);
      data[p] = data[p + 1] = data[p + 2] = Math.max(0, Math.min(255, v));
    }
  }
  return { timeS, width: W, height: H, data };
}

const opts = { ...DEFAULT_MOTION_GATE, checkEveryS: 10, holdS: 2, preRollS: 1 };

test('grey grid: block means of the frame (uniform grey stays that grey)', () => {
  const f: GateFrame = { timeS: 0, width: 128, height: 72, data: new Uint8Array(128 * 72 * 3).fill(100) };
  const g = greyGrid(f, 64, 36);
  assert.equal(g.length, 64 * 36);
  for (const v of g) assert.ok(Math.abs(v - 99) <= 1, `cell ${v}`); // integer luma of (100,100,100)
});

test('a still scene with sensor noise is skipped, apart from the first frame and the periodic check', () => {
  const gate = new MotionGate(opts);
  const decisions = [];
  for (let i = 0; i < 40; i++) decisions.push(gate.decide(frame(i * 0.5)));
  assert.equal(decisions[0].reason, 'first');
  const processed = decisions.filter((d) => d.process);
  assert.deepEqual(processed.map((d) => d.reason), ['first', 'check'], 'only the first frame and one check at 10 s in 20 s');
  assert.ok(decisions[20].process && decisions[20].reason === 'check', 'the check fires at 10 s');
  assert.ok(decisions.slice(1).every((d) => d.changed < opts.minChangedFraction), "noise alone changes no cell");
});

test('a block moving through the still scene is processed while it moves, and held briefly after', () => {
  const gate = new MotionGate(opts);
  const out: { t: number; process: boolean; reason: string }[] = [];
  for (let i = 0; i < 30; i++) {
    const t = i * 0.5;
    // Idle 0–4.5 s, a 24×60 block walks from x=20 across 5–9.5 s, gone after.
    const block = t >= 5 && t < 10 ? { x: 40 + (t - 5) * 100, y: 120, w: 24, h: 60 } : undefined;
    const d = gate.decide(frame(t, { block }));
    out.push({ t, process: d.process, reason: d.reason });
  }
  for (const o of out.filter((o) => o.t >= 5 && o.t < 10)) assert.ok(o.process && o.reason === 'motion', `t=${o.t}: ${o.reason}`);
  for (const o of out.filter((o) => o.t > 0 && o.t < 5)) assert.equal(o.process, false, `idle before the block, t=${o.t}`);
  // Gone at 10 s: the frame without it differs from the previous one (motion), then the hold runs out.
  assert.ok(out.find((o) => o.t === 10)!.process);
  assert.equal(out.find((o) => o.t === 10.5)!.reason, 'hold');
  assert.equal(out.find((o) => o.t === 14.5)!.process, false, 'nothing after the hold ran out');
});

test('a person standing still stays processed while detected; undetected, only the periodic check sees them', () => {
  const gate = new MotionGate(opts);
  const block = { x: 200, y: 120, w: 24, h: 60 };
  let skippedWhileDetected = 0;
  for (let i = 0; i < 60; i++) {
    const t = i * 0.5;
    const d = gate.decide(frame(t, { block: t >= 2 ? block : undefined }));
    if (d.process && t >= 2) gate.sawPeople(t); // the detector finds them on every frame it sees
    if (t >= 2 && !d.process) skippedWhileDetected++;
  }
  assert.equal(skippedWhileDetected, 0);
  // Without detections the same still block is processed when it appears, held, then only checked.
  const blind = new MotionGate(opts);
  const ds = [];
  for (let i = 0; i < 60; i++) ds.push(blind.decide(frame(i * 0.5, { block: i >= 4 ? block : undefined })));
  assert.equal(ds[4].reason, 'motion');
  assert.deepEqual(ds.slice(5, 9).map((d) => d.reason), ['hold', 'hold', 'hold', 'hold']);
  const later = ds.slice(9).filter((d) => d.process);
  assert.ok(later.length >= 1 && later.length <= 3 && later.every((d) => d.reason === 'check'), `after the hold: ${later.map((d) => d.reason)}`);
});

test('pre-roll: skipped frames just before a processed frame are processed too', () => {
  const times = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5];
  const keep = [true, false, false, false, false, false, true, false];
  applyPreRoll(times, keep, 1);
  assert.deepEqual(keep, [true, false, false, false, true, true, true, false]);
});
