// The renderer's only way out: `window.sightline` (the RPC transport from the preload or the test
// bridge), wrapped into the typed SightlineApi by the RPC layer's proxy with the method list of the
// contract, plus optional desktop helpers that are feature-detected. Failures are ApiErrors with a code.
import { API_METHODS, type SightlineApi } from '../../electron/common/contract';
import { errorCode, type ErrorCode } from '../../electron/common/errors';
import type { DesktopExtras, WindowSightline } from '../../electron/preload/extras';
import { proxy } from '../../electron/rpc/protocol';

declare global {
  interface Window { sightline?: WindowSightline }
}

export type Api = SightlineApi & DesktopExtras;

function connect(w: WindowSightline | undefined): Api | null {
  if (!w) return null;
  const typed = proxy<SightlineApi>(w.call, API_METHODS, w.onProgress);
  return {
    ...typed,
    pickPaths: w.pickPaths, pickNewCaseFile: w.pickNewCaseFile, pickExecutable: w.pickExecutable,
    pathForFile: w.pathForFile, toMediaSrc: w.toMediaSrc,
  };
}

export const api: Api | null = connect(window.sightline);

/** A media:// URL from the engine as something <img>/<video> can load here. */
export function mediaSrc(url: string): string {
  return api?.toMediaSrc ? api.toMediaSrc(url) : url;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The error's code (common/errors.ts): the UI switches on it, never on the wording. */
export function isError(e: unknown, code: ErrorCode): boolean {
  return errorCode(e) === code;
}
