// Renders the engine's ProgressEvents: a progress bar on a terminal, JSON lines with --json.
import * as path from 'node:path';
import type { ProgressEvent } from '../engine/contract';

export function progressPrinter(json: boolean): (e: ProgressEvent) => void {
  if (json) return (e) => process.stdout.write(`${JSON.stringify({ type: 'progress', ...e })}\n`);
  if (!process.stderr.isTTY) {
    return (e) => {
      if (e.phase === 'done' || e.phase === 'failed') process.stderr.write(`${e.phase === 'done' ? 'indexed' : 'FAILED '} ${e.path}${e.message ? `: ${e.message}` : ''}\n`);
    };
  }
  return (e) => {
    const width = 30;
    const filled = Math.round(e.fraction * width);
    const eta = e.etaS !== null && e.phase === 'indexing' ? ` ETA ${formatDuration(e.etaS)}` : '';
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(e.fraction * 100).toFixed(0).padStart(3)}% ${e.phase.padEnd(8)} ${path.basename(e.path)}${eta}`;
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
    if (e.phase === 'done' || e.phase === 'failed') process.stderr.write(e.phase === 'failed' ? `\n  ${e.message ?? ''}\n` : '\n');
  };
}

export function formatDuration(s: number): string {
  const m = Math.floor(s / 60), sec = Math.round(s % 60);
  return m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}
