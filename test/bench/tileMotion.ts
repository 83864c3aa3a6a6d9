// Could the detector's tile passes (vision/tiles.ts) run only where the scene changed? For each sampled
// frame (2 fps, the pipeline's 1280 px) and each tile of its tile plan, whether the tile's columns of the
// motion gate's grid changed since the previous sample (same cell threshold; "changed" = at least as many
// cells as the gate's minChangedFraction of the whole grid). Prints, per clip, the share of frames with
// motion and, among those, the tile passes a per-tile gate could have skipped: the ceiling of that lever.
//   npx tsc -p tsconfig.json && nice -n 5 node dist/test/bench/tileMotion.js
import { DEFAULT_MAX_SIDE } from '../../electron/engine/indexing/indexVideo';
import { changedFraction, DEFAULT_MOTION_GATE, greyGrid } from '../../electron/engine/indexing/motionGate';
import { resolveFfmpeg } from '../../electron/engine/video/ffmpegPath';
import { sampleFrames } from '../../electron/engine/video/sampler';
import { loadDetectorManifest } from '../../electron/engine/vision/manifest';
import { planTiles } from '../../electron/engine/vision/tiles';
import { CCTV_HARD, cctvRealistic, cutOf, street1080p } from './fixtures';

async function main(): Promise<void> {
  const tools = resolveFfmpeg();
  const input = loadDetectorManifest().input;
  const { gridW, gridH, cellThreshold, minChangedFraction } = DEFAULT_MOTION_GATE;
  const minCells = Math.ceil(minChangedFraction * gridW * gridH);
  const clips: [string, string][] = [
    ['street1080p (30 s)', street1080p(tools.ffmpeg, 30)],
    ['cctv-realistic-1080p first 180 s', cutOf(tools.ffmpeg, cctvRealistic(tools.ffmpeg, CCTV_HARD), 0, 180)],
  ];
  for (const [name, file] of clips) {
    let prev: Float32Array | null = null;
    let frames = 0, moving = 0, tilePasses = 0, tilesChanged = 0;
    for await (const f of sampleFrames(file, { ffmpegPath: tools.ffmpeg, fps: 2, maxSide: DEFAULT_MAX_SIDE })) {
      const grid = greyGrid(f, gridW, gridH);
      const tiles = planTiles(f.width, f.height, input, 'auto').slice(1);
      if (prev && changedFraction(grid, prev, cellThreshold) >= minChangedFraction) {
        moving++;
        for (const t of tiles) {
          // The tile's grid columns (cells it overlaps), as a sub-grid of full height.
          const c0 = Math.floor((t.x * gridW) / f.width), c1 = Math.ceil(((t.x + t.width) * gridW) / f.width);
          const cols = (g: Float32Array): Float32Array => Float32Array.from({ length: (c1 - c0) * gridH }, (_, i) => g[Math.floor(i / (c1 - c0)) * gridW + c0 + (i % (c1 - c0))]);
          const n = changedFraction(cols(grid), cols(prev), cellThreshold) * (c1 - c0) * gridH;
          tilePasses++;
          if (n >= minCells) tilesChanged++;
        }
      }
      prev = grid;
      frames++;
    }
    console.log(`${name}: ${frames} samples, ${moving} with motion; of their ${tilePasses} tile passes ${tilesChanged} in a changed tile, ${tilePasses - tilesChanged} (${((100 * (tilePasses - tilesChanged)) / Math.max(1, tilePasses)).toFixed(0)} %) a per-tile gate could skip`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
