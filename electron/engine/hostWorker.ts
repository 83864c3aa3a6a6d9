// The engine's own thread inside the desktop app: Electron's main thread only forwards IPC here,
// so text embedding and vector search never block the window.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine, EngineOptions } from './api';
import { API_METHODS, ApiMethod } from './contract';
import type { MediaRef } from './media';

export type HostRequest = { id: number; method: ApiMethod | 'mediaFile' | 'close'; args: unknown[] };
export type HostReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  | { id: -1; progress: import('./contract').ProgressEvent };

const engine = new Engine(workerData as EngineOptions);
engine.onProgress((progress) => parentPort!.postMessage({ id: -1, progress } satisfies HostReply));

parentPort!.on('message', async (req: HostRequest) => {
  try {
    let value: unknown;
    if (req.method === 'mediaFile') value = engine.mediaFile(req.args[0] as MediaRef);
    else if (req.method === 'close') value = await engine.close();
    else if ((API_METHODS as readonly string[]).includes(req.method)) {
      value = await (engine[req.method] as (...a: unknown[]) => Promise<unknown>).apply(engine, req.args);
    } else throw new Error(`unknown method ${req.method}`);
    parentPort!.postMessage({ id: req.id, ok: true, value } satisfies HostReply);
  } catch (e) {
    parentPort!.postMessage({ id: req.id, ok: false, error: (e as Error).message } satisfies HostReply);
  }
});
