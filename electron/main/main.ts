// Electron main process, kept thin: one instance, one window (position remembered), the media
// protocol and IPC over the engine, progress forwarded, engine closed cleanly on quit.
import { app, BrowserWindow, Menu, screen } from 'electron';
import * as path from 'node:path';
import { startEngineHost, type EngineHost } from '../engine/host';
import { hardenSession, hardenWebContents } from './hardening';
import { registerApiHandlers } from './ipc';
import { buildMenu } from './menu';
import { handleAppProtocol, handleMediaProtocol, registerSchemes } from './protocol';
import { RENDERER_URL, SECURE_WEB_PREFERENCES } from './security';
import { loadWindowState, MIN_SIZE, saveWindowState } from './windowState';

const RENDERER_DIR = path.join(__dirname, '..', '..', 'renderer');
const PRELOAD = path.join(__dirname, '..', 'preload', 'preload.js');

let engine: EngineHost | null = null;
let mainWindow: BrowserWindow | null = null;
let unregisterIpc: (() => void) | null = null;

registerSchemes();

function createWindow(): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile, screen.getAllDisplays()
    .sort((a, b) => Number(b.id === screen.getPrimaryDisplay().id) - Number(a.id === screen.getPrimaryDisplay().id))
    .map((d) => d.workArea));
  const win = new BrowserWindow({
    ...state,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'Sightline',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: PRELOAD },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const remember = () => {
    if (win.isDestroyed()) return;
    saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  win.on('close', remember);
  void win.loadURL(RENDERER_URL);
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  hardenWebContents();

  void app.whenReady().then(() => {
    hardenSession();
    Menu.setApplicationMenu(buildMenu());
    // The engine runs in its own worker thread: text embedding and vector search never block this one.
    engine = startEngineHost({ settingsFile: path.join(app.getPath('userData'), 'settings.json') });
    handleAppProtocol(RENDERER_DIR);
    handleMediaProtocol(engine);
    unregisterIpc = registerApiHandlers(engine, RENDERER_URL);
    mainWindow = createWindow();
    mainWindow.on('closed', () => { mainWindow = null; });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Close the engine (worker thread, case file) before exiting so the SQLite WAL is checkpointed.
  let closing = false;
  app.on('will-quit', (e) => {
    if (!engine || closing) return;
    e.preventDefault();
    closing = true;
    unregisterIpc?.();
    const done = () => { engine = null; app.quit(); };
    Promise.resolve().then(() => engine?.close()).then(done, (err) => { console.error('engine close failed', err); done(); });
  });
}
