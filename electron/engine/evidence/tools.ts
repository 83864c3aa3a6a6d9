// Runs ffmpeg/ffprobe without a shell (arguments are never parsed by one, so file names with
// quotes or spaces are safe) and turns a failure into an error that says what was run and why.
import { execFile } from 'node:child_process';

export class ToolError extends Error {}

export function runTool(cmd: string, args: string[], timeoutMs = 300_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const tail = String(stderr).trim().split('\n').slice(-4).join(' | ');
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'program not found' : tail || err.message;
        reject(new ToolError(`${cmd} failed: ${why}`));
        return;
      }
      resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
