// Peak resident memory of this process plus its child processes (ffmpeg), and the CPU time those
// children used, read from /proc by a worker thread so the samples keep coming while inference
// blocks the main thread. (On a shared machine CPU seconds say more than wall-clock time.)
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
const cpuTicks = new Map();
const ticksOf = (pid) => {
  try { const st = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').slice(0).split(') ')[1].split(' '); return Number(st[11]) + Number(st[12]); } catch { return -1; }
};
let peak = 0, peakSelf = 0, peakChildren = 0, stop = false;
parentPort.on('message', () => { stop = true; });
const tick = () => {
  const self = rssKb(workerData.pid);
  const pids = children(workerData.pid);
  const kids = pids.reduce((s, p) => s + rssKb(p), 0);
  for (const p of pids) { const t = ticksOf(p); if (t >= 0) cpuTicks.set(p, Math.max(cpuTicks.get(p) || 0, t)); }
  peakSelf = Math.max(peakSelf, self); peakChildren = Math.max(peakChildren, kids); peak = Math.max(peak, self + kids);
  const childCpuS = [...cpuTicks.values()].reduce((a, b) => a + b, 0) / 100; // USER_HZ = 100 on Linux
  if (stop) parentPort.postMessage({ peak, peakSelf, peakChildren, childCpuS }); else setTimeout(tick, workerData.intervalMs);
};
tick();
`;

export interface PeakRss {
  peakRssMb: number; selfMb: number; childrenMb: number;
  /** CPU seconds of this process (all threads) and of its children (ffmpeg, last sample ≤ 100 ms before exit). */
  selfCpuS: number; childCpuS: number;
}

/** Starts sampling; the returned function stops it and gives the peaks (MB = 2^20 bytes). */
export function sampleRss(intervalMs = 100): () => Promise<PeakRss> {
  const w = new Worker(SAMPLER, { eval: true, workerData: { pid: process.pid, intervalMs } });
  const cpu0 = process.cpuUsage();
  return () => new Promise((resolve, reject) => {
    w.once('message', (m: { peak: number; peakSelf: number; peakChildren: number; childCpuS: number }) => {
      void w.terminate();
      const cpu = process.cpuUsage(cpu0);
      resolve({
        peakRssMb: Math.round(m.peak / 1024), selfMb: Math.round(m.peakSelf / 1024), childrenMb: Math.round(m.peakChildren / 1024),
        selfCpuS: (cpu.user + cpu.system) / 1e6, childCpuS: m.childCpuS,
      });
    });
    w.once('error', reject);
    w.postMessage('stop');
  });
}
