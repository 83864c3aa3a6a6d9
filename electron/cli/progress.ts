// Renders the engine's ProgressEvents: a progress bar on a terminal, JSON lines with --json.
import * as path from 'node:path';
import type { ProgressEvent } from '../engine/contract';

export function progressPrinter(json: boolean): (e: ProgressEvent) => void {
  if (json) return (e) => process.stdout.write(`${JSON.stringify({ type: 'progress', ...e })}\n`);
  if (!process.stderr.isTTY) {
    return (e) => {
      if (e.kind === 'case') return;
      if (e.phase === 'done' || e.phase === 'failed') process.stderr.write(`${e.phase === 'done' ? 'indexed' : 'FAILED '} ${e.path}${e.message ? `: ${e.message}` : ''}\n`);
    };
  }
  // Several files index at once: once the whole import reports ('case' events) the live line is
  // the import's, and each file only prints its line when it is done or failed.
  let caseLine = false;
  const bar = (fraction: number): string => {
    const width = 30;
    const filled = Math.round(fraction * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
  };
  const live = (line: string): void => { process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 100) - 1)}`); };
  return (e) => {
    const eta = e.etaS !== null && e.phase === 'indexing' ? ` ETA ${formatDuration(e.etaS)}` : '';
    if (e.kind === 'case') {
      caseLine = true;
      if (e.phase !== 'done') live(`${bar(e.fraction)} all files${eta}`);
      return;
    }
    const finished = e.phase === 'done' || e.phase === 'failed';
    if (caseLine && !finished) return;
    live(`${bar(finished ? 1 : e.fraction)} ${e.phase.padEnd(8)} ${path.basename(e.path)}${caseLine ? '' : eta}`);
    if (finished) process.stderr.write(e.phase === 'failed' ? `\n  ${e.message ?? ''}\n` : '\n');
  };
}

export function formatDuration(s: number): string {
  const m = Math.floor(s / 60), sec = Math.round(s % 60);
  return m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}
