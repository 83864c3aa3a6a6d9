// What the preload (desktop) and the dev bridge client (browser) put on `window.sightline`: the RPC
// transport for the API (the renderer builds the typed SightlineApi over it with rpc/protocol's
// proxy, so error codes survive contextBridge, which keeps only an Error's message), progress
// events, and optional desktop helpers the renderer feature-detects. Types only.
import type { DesktopChannels, PickExecutableRequest, PickPathsRequest } from '../common/desktop';
import type { ProgressEvent } from '../common/contract';
import type { Call } from '../rpc/protocol';

export type { PickExecutableRequest, PickPathsRequest };

export interface DesktopExtras {
  pickPaths?(req: PickPathsRequest): Promise<DesktopChannels['pickPaths']['result']>;
  pickNewCaseFile?(): Promise<DesktopChannels['pickNewCaseFile']['result']>;
  pickExecutable?(req: PickExecutableRequest): Promise<DesktopChannels['pickExecutable']['result']>;
  /** Absolute path of a File dropped onto the window (Electron's webUtils.getPathForFile); '' when unknown. */
  pathForFile?(file: File): string;
  /** Turns a media:// URL from the engine into one the page can load (the test bridge serves /media/...). */
  toMediaSrc?(mediaUrl: string): string;
}

export interface WindowSightline extends DesktopExtras {
  /** One API call: (method, args) → Reply; never rejects for an engine error. */
  call: Call;
  onProgress(listener: (e: ProgressEvent) => void): () => void;
}
