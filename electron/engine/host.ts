// EngineHost: the engine API, run in a worker thread and reached by messages. Electron main uses
// this; the CLI and the test bridge may use Engine directly (they have no UI thread to protect).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineOptions, MediaFile } from './api';
import { API_METHODS, ProgressEvent, SightlineApi } from './contract';
import type { HostReply, HostRequest } from './hostWorker';
import type { MediaRef } from './media';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export type EngineHost = SightlineApi & { mediaFile(ref: MediaRef): Promise<MediaFile | null>; close(): Promise<void> };

export function startEngineHost(opts: EngineOptions = {}): EngineHost {
  const worker = new Worker(path.join(__dirname, 'hostWorker.js'), { workerData: opts });
  const pending = new Map<number, Pending>();
  const listeners = new Set<(e: ProgressEvent) => void>();
  let next = 1;
  worker.on('message', (m: HostReply) => {
    if ('progress' in m) { for (const l of listeners) l(m.progress); return; }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value); else p.reject(new Error(m.error));
  });
  worker.on('error', (e) => { for (const p of pending.values()) p.reject(e); pending.clear(); });
  const call = (method: HostRequest['method'], args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies HostRequest);
    });
  const api = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as EngineHost;
  api.onProgress = (l) => { listeners.add(l); return () => listeners.delete(l); };
  api.mediaFile = (ref) => call('mediaFile', [ref]) as Promise<MediaFile | null>;
  api.close = async () => { await call('close', []); await worker.terminate(); };
  return api;
}
