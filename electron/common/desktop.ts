// The desktop-only channels (native dialogs, file drops) beside the API: a typed map that Electron
// main, the preload and the renderer share. Node-free, types and channel names only.
import type { Settings } from './contract';

/** One invoke channel carries every API call as (method, args) → Reply; main validates each. */
export const RPC_CHANNEL = 'sightline:rpc';
/** Main → renderer progress events. */
export const PROGRESS_CHANNEL = 'sightline:progress';
/** Prefix of the desktop-only invoke channels below. */
export const DESKTOP_PREFIX = 'sightline:desktop:';

export interface PickPathsRequest {
  /** 'files' (videos, multi-select), 'folder' (a folder to import or export into), 'case' (an existing case file). */
  kind: 'files' | 'folder' | 'case';
}

export interface PickExecutableRequest {
  /** Which tool the chosen program replaces; `reset: true` goes back to automatic (ffmpeg-static, then PATH). */
  tool: 'ffmpeg' | 'ffprobe';
  reset?: boolean;
}

/** Channel → arguments and result. Main registers exactly these; the preload forwards exactly these. */
export interface DesktopChannels {
  /** Native open dialog; [] when cancelled. */
  pickPaths: { args: [PickPathsRequest]; result: string[] };
  /** Native save dialog for a new case file; null when cancelled. */
  pickNewCaseFile: { args: []; result: string | null };
  /** Native open dialog for ffmpeg/ffprobe: the only way the UI can name a program to run. Null when cancelled. */
  pickExecutable: { args: [PickExecutableRequest]; result: Settings | null };
}
export type DesktopChannel = keyof DesktopChannels;
export const DESKTOP_CHANNELS = ['pickPaths', 'pickNewCaseFile', 'pickExecutable'] as const satisfies readonly DesktopChannel[];
