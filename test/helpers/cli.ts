// Runs the real `sightline` command (bin/sightline.js over dist/) as a child process.
import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(ROOT, 'bin', 'sightline.js');
export const SAMPLE_DIR = path.join(ROOT, 'resources', 'sample-case');
export const SAMPLE_VIDEO = path.join(SAMPLE_DIR, 'sample-street.mp4');

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env: { ...process.env, SIGHTLINE_PROVIDER: 'cpu', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, env);
    let stdout = '', stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sightline-${prefix}-`));
}

/** A cut of the bundled sample (`fromS`, `seconds`) as `<dir>/cam/<name>`, H.264: short footage for team-case tests. */
export function sampleClip(dir: string, name: string, seconds: number, fromS = 0): string {
  const clip = path.join(dir, 'cam', name);
  fs.mkdirSync(path.dirname(clip), { recursive: true });
  execFileSync('ffmpeg', ['-v', 'error', '-ss', String(fromS), '-t', String(seconds), '-i', SAMPLE_VIDEO, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
  return clip;
}

export interface TruthPerson { id: string; description: string; intervals: [number, number][]; boxes?: Record<string, [number, number, number, number]> }
