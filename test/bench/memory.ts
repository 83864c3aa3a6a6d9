// Peak resident memory of this process plus its child processes (ffmpeg), read from /proc by a
// worker thread so the samples keep coming while inference blocks the main thread.
import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const rssKb = (pid) => {
  try { const m = /VmRSS:\\s+(\\d+)/.exec(fs.readFileSync('/proc/' + pid + '/status', 'utf8')); return m ? Number(m[1]) : 0; } catch { return 0; }
};
const children = (pid) => {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync('/proc/' + d + '/stat', 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {}
  }
  return out;
};
let peak = 0, peakSelf = 0, peakChildren = 0, stop = false;
parentPort.on('message', () => { stop = true; });
const tick = () => {
  const self = rssKb(workerData.pid);
  const kids = children(workerData.pid).reduce((s, p) => s + rssKb(p), 0);
  peakSelf = Math.max(peakSelf, self); peakChildren = Math.max(peakChildren, kids); peak = Math.max(peak, self + kids);
  if (stop) parentPort.postMessage({ peak, peakSelf, peakChildren }); else setTimeout(tick, workerData.intervalMs);
};
tick();
`;

export interface PeakRss { peakRssMb: number; selfMb: number; childrenMb: number }

/** Starts sampling; the returned function stops it and gives the peaks (MB = 2^20 bytes). */
export function sampleRss(intervalMs = 100): () => Promise<PeakRss> {
  const w = new Worker(SAMPLER, { eval: true, workerData: { pid: process.pid, intervalMs } });
  return () => new Promise((resolve, reject) => {
    w.once('message', (m: { peak: number; peakSelf: number; peakChildren: number }) => {
      void w.terminate();
      resolve({ peakRssMb: Math.round(m.peak / 1024), selfMb: Math.round(m.peakSelf / 1024), childrenMb: Math.round(m.peakChildren / 1024) });
    });
    w.once('error', reject);
    w.postMessage('stop');
  });
}
