// The renderer's only way out: `window.sightline` (SightlineApi from preload or the test bridge),
// plus optional desktop helpers that are feature-detected.
import type { SightlineApi } from '../../electron/engine/contract';
import type { DesktopExtras } from '../../electron/preload/extras';

declare global {
  interface Window { sightline?: SightlineApi & DesktopExtras }
}

export type Api = SightlineApi & DesktopExtras;

export const api: Api | null = window.sightline ?? null;

/** A media:// URL from the engine as something <img>/<video> can load here. */
export function mediaSrc(url: string): string {
  return api?.toMediaSrc ? api.toMediaSrc(url) : url;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
