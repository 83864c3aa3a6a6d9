// Indexing runs here, in a worker thread: ONNX Runtime's session.run blocks its thread, and the
// thread that serves the UI (or the engine host) must stay responsive while days of footage index.
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../case/caseFile';
import type { ProgressEvent } from '../contract';
import { IndexJobOptions, runIndexJob } from './job';

export type WorkerInput = Omit<IndexJobOptions, 'signal' | 'onProgress' | 'afterBatch' | 'onBudget' | 'parallelFiles'> & { dbPath: string };
export type WorkerMessage =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'done'; report: import('../contract').ImportReport }
  | { type: 'error'; message: string };

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  const abort = new AbortController();
  parentPort!.on('message', (m: { type: string }) => { if (m.type === 'abort') abort.abort(); });
  let reply: WorkerMessage;
  const db = openDb(input.dbPath);
  try {
    const report = await runIndexJob(db, {
      ...input, signal: abort.signal,
      onProgress: (event) => parentPort!.postMessage({ type: 'progress', event } satisfies WorkerMessage),
    });
    reply = { type: 'done', report };
  } catch (e) {
    reply = { type: 'error', message: (e as Error).message };
  } finally {
    db.close();
  }
  // Reply only once the case file is closed, then let the thread end (an open port keeps it alive).
  parentPort!.postMessage(reply);
  parentPort!.close();
}

void main();
