// The only bridge between the sandboxed page and the app: exposes `window.sightline`, the typed
// SightlineApi (each method one IPC invoke, validated again in main), plus a few optional desktop
// helpers. Sandboxed preloads cannot require local modules, so nothing here imports at runtime
// except 'electron'; the method list is checked against the contract at compile time instead.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiMethod, ProgressEvent, SightlineApi } from '../engine/contract';
import type { DesktopExtras, PickPathsRequest } from './extras';

const METHODS = [
  'createCase', 'openCase', 'getCase', 'importPaths', 'listVideos', 'setCamera', 'setClockCorrection',
  'search', 'searchSimilar', 'getSighting', 'addBookmark', 'updateBookmark', 'removeBookmark',
  'listBookmarks', 'exportEvidence', 'getSettings', 'setSettings', 'status',
] as const satisfies readonly ApiMethod[];
// Fails to compile if the contract gains a method this list lacks.
const everyMethodListed: [Exclude<ApiMethod, (typeof METHODS)[number]>] extends [never] ? true : never = true;
void everyMethodListed;

const PREFIX = 'sightline:';
const PROGRESS_CHANNEL = 'sightline:progress';

/** Electron wraps errors as "Error invoking remote method 'x': Error: msg"; the UI wants just msg. */
async function invoke(channel: string, args: unknown[]): Promise<unknown> {
  try {
    return await ipcRenderer.invoke(channel, ...args);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(msg.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, ''));
  }
}

const api = {} as Record<string, unknown>;
for (const method of METHODS) api[method] = (...args: unknown[]) => invoke(PREFIX + method, args);

api.onProgress = (listener: (e: ProgressEvent) => void): (() => void) => {
  const handler = (_e: IpcRendererEvent, payload: ProgressEvent) => listener(payload);
  ipcRenderer.on(PROGRESS_CHANNEL, handler);
  return () => { ipcRenderer.removeListener(PROGRESS_CHANNEL, handler); };
};

const extras: DesktopExtras = {
  pickPaths: (req: PickPathsRequest) => invoke(`${PREFIX}pickPaths`, [req]) as Promise<string[]>,
  pickNewCaseFile: () => invoke(`${PREFIX}pickNewCaseFile`, []) as Promise<string | null>,
  pathForFile: (file: File) => {
    try { return webUtils.getPathForFile(file); } catch { return ''; }
  },
};

contextBridge.exposeInMainWorld('sightline', { ...api, ...extras } as SightlineApi & DesktopExtras);
