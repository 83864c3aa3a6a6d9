// The only bridge between the sandboxed page and the app: exposes `window.sightline`, the RPC
// transport (each call one IPC invoke, validated in main against the contract), progress events and
// the desktop-only channels. Sandboxed preloads cannot require local modules, so nothing here imports
// at runtime except 'electron'; channel names are checked against common/desktop.ts at compile time,
// and the API's method list lives only in the contract (the renderer's proxy reads it from there).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ProgressEvent } from '../common/contract';
import type { DESKTOP_PREFIX, DesktopChannel, PROGRESS_CHANNEL, RPC_CHANNEL } from '../common/desktop';
import type { Reply } from '../rpc/protocol';
import type { WindowSightline } from './extras';

const RPC: typeof RPC_CHANNEL = 'sightline:rpc';
const PROGRESS: typeof PROGRESS_CHANNEL = 'sightline:progress';
const DESKTOP: typeof DESKTOP_PREFIX = 'sightline:desktop:';

const DESKTOP_LIST = ['pickPaths', 'pickNewCaseFile', 'pickExecutable'] as const satisfies readonly DesktopChannel[];
// Fails to compile if common/desktop.ts gains a channel this list lacks.
const everyChannelListed: [Exclude<DesktopChannel, (typeof DESKTOP_LIST)[number]>] extends [never] ? true : never = true;
void everyChannelListed;

const desktop = (channel: DesktopChannel) => (...args: unknown[]) => ipcRenderer.invoke(DESKTOP + channel, ...args);

const sightline: WindowSightline = {
  call: (method: string, args: unknown[]) => ipcRenderer.invoke(RPC, method, args) as Promise<Reply>,
  onProgress: (listener: (e: ProgressEvent) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, payload: ProgressEvent) => listener(payload);
    ipcRenderer.on(PROGRESS, handler);
    return () => { ipcRenderer.removeListener(PROGRESS, handler); };
  },
  pickPaths: desktop('pickPaths') as WindowSightline['pickPaths'],
  pickNewCaseFile: desktop('pickNewCaseFile') as WindowSightline['pickNewCaseFile'],
  pickExecutable: desktop('pickExecutable') as WindowSightline['pickExecutable'],
  pathForFile: (file: File) => {
    try { return webUtils.getPathForFile(file); } catch { return ''; }
  },
};

contextBridge.exposeInMainWorld('sightline', sightline);
