// The engine's own thread inside the desktop app: Electron's main thread only forwards IPC here,
// so text embedding and vector search never block the window.
import { parentPort, workerData } from 'node:worker_threads';
import { serveOnPort } from '../rpc/worker';
import { Engine, type EngineOptions } from './api';
import { HOST_METHODS } from './host';

const engine = new Engine({ backgroundProxies: true, ...(workerData as EngineOptions) });
serveOnPort(parentPort!, engine, HOST_METHODS, (emit) => { engine.onProgress(emit); });
