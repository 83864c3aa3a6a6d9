// EngineHost: the engine API, run in a worker thread and reached over the RPC layer (rpc/worker.ts).
// Electron main and the dev bridge use this; the CLI uses Engine directly (no UI thread to protect).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { API_METHODS, type SightlineApi, type ToolPaths, type Settings } from '../common/contract';
import type { MediaRef } from '../common/media';
import { connectWorker } from '../rpc/worker';
import type { EngineOptions, MediaFile } from './api';

/** Methods the host serves beyond the API: only the process that owns the host (main, the bridge) reaches them. */
export const HOST_ONLY_METHODS = ['mediaFile', 'setToolPaths', 'close'] as const;
export const HOST_METHODS: readonly string[] = [...API_METHODS, ...HOST_ONLY_METHODS];

export type EngineHost = SightlineApi & {
  mediaFile(ref: MediaRef): Promise<MediaFile | null>;
  /** Executable paths: from a native dialog in main, never from the renderer. */
  setToolPaths(paths: ToolPaths): Promise<Settings>;
  close(): Promise<void>;
};

export function startEngineHost(opts: EngineOptions = {}): EngineHost {
  const worker = new Worker(path.join(__dirname, 'hostWorker.js'), { workerData: opts });
  const host = connectWorker<EngineHost>(worker, HOST_METHODS);
  const close = host.close;
  host.close = async () => { await close(); await worker.terminate(); };
  return host;
}
