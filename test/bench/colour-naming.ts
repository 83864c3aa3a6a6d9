// Cost of naming one garment region's colour (vision/colour.ts nameRegionColour), per region, for the
// region sizes a person crop gives (upper/lower body of a 64×128 crop, a whole 128×256 crop). Not a test.
//   node dist/test/bench/colour-naming.js
import { nameRegionColour, PixelRegion } from '../../electron/engine/vision/colour';
import { percentile } from './search';

function noiseRegion(width: number, height: number): PixelRegion {
  const data = new Uint8Array(width * height * 3);
  let s = 7;
  for (let i = 0; i < data.length; i++) { s = (s * 1103515245 + 12345) & 0x7fffffff; data[i] = s >> 23; }
  return { data, width, height };
}

export function benchColourNaming(runs: number): Record<string, { medianMs: number; p95Ms: number }> {
  const out: Record<string, { medianMs: number; p95Ms: number }> = {};
  for (const [w, h] of [[32, 40], [64, 64], [128, 256]]) {
    const region = noiseRegion(w, h); // random pixels: the most clusters, the worst case
    for (let i = 0; i < 20; i++) nameRegionColour(region);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) { const t = performance.now(); nameRegionColour(region); ms.push(performance.now() - t); }
    out[`${w}×${h}`] = { medianMs: Math.round(percentile(ms, 50) * 1000) / 1000, p95Ms: Math.round(percentile(ms, 95) * 1000) / 1000 };
  }
  return out;
}

if (require.main === module) {
  for (const [size, f] of Object.entries(benchColourNaming(300))) console.log(`colour naming ${size} region: median ${f.medianMs} ms, p95 ${f.p95Ms} ms`);
}
