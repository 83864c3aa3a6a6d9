// Worker-thread transport of the RPC layer: serveOnPort (inside the worker) and connectWorker (its parent).
import type { MessagePort, Worker } from 'node:worker_threads';
import { fromWireError } from '../common/errors';
import { proxy, serve, type Reply } from './protocol';

type Request = { id: number; method: string; args: unknown[] };
type Message = { id: number; reply: Reply } | { id: -1; event: unknown };

/** Serves `target`'s methods over a worker port; `events` (if given) pushes events to the parent. */
export function serveOnPort(port: MessagePort, target: object, methods: readonly string[], events?: (emit: (e: unknown) => void) => void): void {
  const call = serve(target, methods);
  events?.((event) => port.postMessage({ id: -1, event } satisfies Message));
  port.on('message', async (req: Request) => {
    port.postMessage({ id: req.id, reply: await call(req.method, req.args) } satisfies Message);
  });
}

/** A typed proxy to what a worker serves; progress events go to onProgress listeners. */
export function connectWorker<T>(worker: Worker, methods: readonly string[]): T {
  const pending = new Map<number, (r: Reply) => void>();
  const listeners = new Set<(e: unknown) => void>();
  let next = 1;
  worker.on('message', (m: Message) => {
    if (m.id === -1) { for (const l of listeners) l((m as { event: unknown }).event); return; }
    const settle = pending.get(m.id);
    pending.delete(m.id);
    settle?.((m as { reply: Reply }).reply);
  });
  const failAll = (message: string) => {
    for (const settle of pending.values()) settle({ ok: false, error: fromWireError({ code: 'INTERNAL', message }) });
    pending.clear();
  };
  worker.on('error', (e) => failAll(e.message));
  worker.on('exit', (code) => failAll(`engine thread exited (code ${code})`));
  const call = (method: string, args: unknown[]): Promise<Reply> => new Promise((resolve) => {
    const id = next++;
    pending.set(id, resolve);
    worker.postMessage({ id, method, args } satisfies Request);
  });
  return proxy<T>(call, methods, (l) => { listeners.add(l); return () => listeners.delete(l); });
}
