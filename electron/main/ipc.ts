// IPC handlers: one `sightline:<method>` channel per API method, every payload validated before it
// reaches the engine, and only our own UI page may call. Handlers are async; the engine runs
// inference in a worker thread, so the main process stays responsive while videos index.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS } from '../engine/contract';
import { describeFailure, dispatchApiCall, type DesktopEngine } from './dispatch';
import { IPC_PREFIX, isTrustedSender, PROGRESS_CHANNEL } from './security';
import { ValidationError } from './validate';

function checkSender(e: IpcMainInvokeEvent, rendererUrl: string): void {
  if (!isTrustedSender(e.senderFrame?.url, rendererUrl)) throw new Error('IPC from an untrusted page');
}

export function registerApiHandlers(engine: DesktopEngine, rendererUrl: string): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(IPC_PREFIX + method, async (e, ...args: unknown[]) => {
      checkSender(e, rendererUrl);
      try {
        return await dispatchApiCall(engine, method, args);
      } catch (err) {
        // Rethrow a plain Error: only the message crosses to the renderer, never a stack or object.
        throw new Error(describeFailure(err).message);
      }
    });
  }

  ipcMain.handle(`${IPC_PREFIX}pickPaths`, async (e, req: unknown) => {
    checkSender(e, rendererUrl);
    const kind = (req as { kind?: unknown } | null)?.kind;
    if (kind !== 'files' && kind !== 'folder' && kind !== 'case') throw new ValidationError('pickPaths: bad kind');
    const win = BrowserWindow.fromWebContents(e.sender) ?? undefined;
    const opts: Electron.OpenDialogOptions = kind === 'files'
      ? { title: 'Import videos', properties: ['openFile', 'multiSelections'], filters: [{ name: 'Video', extensions: ['mp4', 'mov', 'mkv', 'avi', 'ts', 'm4v', 'webm', 'mpg', 'mpeg', 'h264', 'dav'] }, { name: 'All files', extensions: ['*'] }] }
      : kind === 'folder'
        ? { title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] }
        : { title: 'Open case', properties: ['openFile'], filters: [{ name: 'Sightline case', extensions: ['sightline', 'sqlite', 'db'] }, { name: 'All files', extensions: ['*'] }] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? [] : r.filePaths;
  });

  ipcMain.handle(`${IPC_PREFIX}pickNewCaseFile`, async (e) => {
    checkSender(e, rendererUrl);
    const win = BrowserWindow.fromWebContents(e.sender) ?? undefined;
    const opts: Electron.SaveDialogOptions = { title: 'New case file', defaultPath: 'case.sightline', filters: [{ name: 'Sightline case', extensions: ['sightline'] }] };
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return r.canceled || !r.filePath ? null : r.filePath;
  });

  // Progress events go to every window showing our UI.
  const unsubscribe = engine.onProgress((ev) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(PROGRESS_CHANNEL, ev);
  });

  return () => {
    unsubscribe();
    for (const method of API_METHODS) ipcMain.removeHandler(IPC_PREFIX + method);
    ipcMain.removeHandler(`${IPC_PREFIX}pickPaths`);
    ipcMain.removeHandler(`${IPC_PREFIX}pickNewCaseFile`);
  };
}
