// IPC: one RPC channel carries every API call (validated against the contract by the gateway), the
// desktop-only channels of common/desktop.ts (native dialogs), and progress events. Only our own UI
// page may call. The engine runs in a worker thread, so the main process stays responsive.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Settings } from '../common/contract';
import { ApiError, toWireError } from '../common/errors';
import { DESKTOP_CHANNELS, DESKTOP_PREFIX, PROGRESS_CHANNEL, RPC_CHANNEL, type DesktopChannel, type DesktopChannels } from '../common/desktop';
import type { EngineHost } from '../engine/host';
import { apiGateway } from '../gateway/dispatch';
import type { Reply } from '../rpc/protocol';
import { isTrustedSender } from './security';

type Handlers = { [C in DesktopChannel]: (e: IpcMainInvokeEvent, ...args: unknown[]) => Promise<DesktopChannels[C]['result']> };

const VIDEO_EXTENSIONS = ['mp4', 'mov', 'mkv', 'avi', 'ts', 'm4v', 'webm', 'mpg', 'mpeg', 'h264', 'dav'];

function desktopHandlers(engine: EngineHost): Handlers {
  const windowOf = (e: IpcMainInvokeEvent) => BrowserWindow.fromWebContents(e.sender) ?? undefined;
  const open = async (e: IpcMainInvokeEvent, opts: Electron.OpenDialogOptions) => {
    const win = windowOf(e);
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? [] : r.filePaths;
  };
  return {
    pickPaths: async (e, req) => {
      const kind = (req as { kind?: unknown } | null)?.kind;
      if (kind !== 'files' && kind !== 'folder' && kind !== 'case') throw new ApiError('INVALID_ARGUMENT', 'pickPaths: bad kind');
      return open(e, kind === 'files'
        ? { title: 'Import videos', properties: ['openFile', 'multiSelections'], filters: [{ name: 'Video', extensions: VIDEO_EXTENSIONS }, { name: 'All files', extensions: ['*'] }] }
        : kind === 'folder'
          ? { title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] }
          : { title: 'Open case', properties: ['openFile'], filters: [{ name: 'Sightline case', extensions: ['sightline', 'sqlite', 'db'] }, { name: 'All files', extensions: ['*'] }] });
    },
    pickNewCaseFile: async (e) => {
      const win = windowOf(e);
      const opts: Electron.SaveDialogOptions = { title: 'New case file', defaultPath: 'case.sightline', filters: [{ name: 'Sightline case', extensions: ['sightline'] }] };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    // The only way the UI names a program the engine will run: the user picks it in a native dialog,
    // so a compromised page can ask, but cannot choose the file.
    pickExecutable: async (e, req): Promise<Settings | null> => {
      const { tool, reset } = (req ?? {}) as { tool?: unknown; reset?: unknown };
      if (tool !== 'ffmpeg' && tool !== 'ffprobe') throw new ApiError('INVALID_ARGUMENT', 'pickExecutable: bad tool');
      const key = tool === 'ffmpeg' ? 'ffmpegPath' : 'ffprobePath';
      if (reset === true) return engine.setToolPaths({ [key]: '' });
      const [file] = await open(e, { title: `Choose the ${tool} program`, properties: ['openFile'] });
      return file ? engine.setToolPaths({ [key]: file }) : null;
    },
  };
}

export function registerApiHandlers(engine: EngineHost, rendererUrl: string): () => void {
  const trusted = (e: IpcMainInvokeEvent) => isTrustedSender(e.senderFrame?.url, rendererUrl);
  const gateway = apiGateway(engine);
  ipcMain.handle(RPC_CHANNEL, async (e, method: unknown, args: unknown): Promise<Reply> => {
    if (!trusted(e)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted page' } };
    return gateway(method as string, args as unknown[]);
  });

  const handlers = desktopHandlers(engine);
  for (const channel of DESKTOP_CHANNELS) {
    ipcMain.handle(DESKTOP_PREFIX + channel, async (e, ...args: unknown[]) => {
      if (!trusted(e)) throw new Error('IPC from an untrusted page');
      try {
        return await handlers[channel](e, ...args);
      } catch (err) {
        throw new Error(toWireError(err).message);
      }
    });
  }

  // Progress events go to every window showing our UI.
  const unsubscribe = engine.onProgress((ev) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(PROGRESS_CHANNEL, ev);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(RPC_CHANNEL);
    for (const channel of DESKTOP_CHANNELS) ipcMain.removeHandler(DESKTOP_PREFIX + channel);
  };
}
