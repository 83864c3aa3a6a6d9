// Many files at once: a 4-file case (four cuts of the realistic CCTV clip, 1080p, people passing in
// each) indexed through the real job (import, budget, models opened with the budget's ONNX threads,
// the case scheduler), first one file at a time and then as the scheduler chooses, in the same run.
// Figure: camera-hours per wall hour (= video seconds / wall seconds of the whole job).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openOrCreateCase } from '../../electron/engine/case/caseFile';
import type { Budget } from '../../electron/engine/indexing/budget';
import { runIndexJob } from '../../electron/engine/indexing/job';
import { cctvRealistic, cutOf } from './fixtures';
import { sampleRss } from './memory';

/** Where the four cuts start in the realistic clip (each holds one walk of CCTV_TIMELINE). */
const CUT_STARTS = [40, 160, 220, 360];

export function caseCuts(ffmpeg: string, seconds: number): string[] {
  const src = cctvRealistic(ffmpeg);
  return CUT_STARTS.map((start) => cutOf(ffmpeg, src, start, seconds));
}

export interface CaseRun { name: string; wallS: number; cameraHoursPerWallHour: number; budget: Budget | null; indexed: number; cpuPerVideoS: number; peakRssMb: number; load: number }
export interface CaseFigures { files: number; videoS: number; runs: CaseRun[]; speedup: number }

export async function benchCase(tools: { ffmpeg: string; ffprobe: string }, seconds: number, opts: { coarsePass: boolean; motionGate: boolean }, log: (s: string) => void = () => undefined): Promise<CaseFigures> {
  const files = caseCuts(tools.ffmpeg, seconds);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-case-'));
  const runs: CaseRun[] = [];
  let videoS = 0;
  try {
    for (const [name, parallelFiles] of [['one file at a time', 1], ['scheduler', undefined]] as const) {
      const load = os.loadavg()[0];
      const db = openOrCreateCase(path.join(dir, `${runs.length}.sqlite`), 'bench');
      let budget: Budget | null = null;
      const stop = sampleRss();
      const t0 = performance.now();
      const report = await runIndexJob(db, {
        paths: files, fps: 2, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, user: 'bench', provider: 'cpu',
        ...opts, parallelFiles, onBudget: (b) => { budget = b; },
      });
      const wallS = (performance.now() - t0) / 1000;
      const mem = await stop();
      videoS = (db.prepare('SELECT SUM(duration_s) FROM videos').pluck().get() as number) ?? 0;
      db.close();
      if (report.failed.length) throw new Error(`case bench: ${JSON.stringify(report.failed)}`);
      const b = budget as Budget | null;
      const run: CaseRun = { name, wallS, cameraHoursPerWallHour: videoS / wallS, budget: b, indexed: report.indexed.length, cpuPerVideoS: (mem.selfCpuS + mem.childCpuS) / videoS, peakRssMb: mem.peakRssMb, load };
      runs.push(run);
      log(`  ${name}: ${run.cameraHoursPerWallHour.toFixed(2)} camera-hours per wall hour (${videoS.toFixed(0)} s of video in ${wallS.toFixed(1)} s); budget ${JSON.stringify(run.budget)}; load ${load.toFixed(1)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { files: files.length, videoS, runs, speedup: runs[0].wallS / runs[1].wallS };
}
