// Execution-provider choice. A GPU provider that fails to load (CUDA libraries missing, no DirectML
// device) makes InferenceSession.create reject even with 'cpu' listed after it, so each provider
// is tried on its own and the first that opens wins; what was tried and why it failed is reported.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';

export type ProviderPreference = 'auto' | 'cuda' | 'dml' | 'coreml' | 'cpu';

export interface ProviderAttempt { provider: string; error: string | null }

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: string;
  attempts: ProviderAttempt[];
}

/** GPU providers worth trying on this platform, best first. */
export function gpuProvidersFor(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') return ['cuda', 'dml'];
  if (platform === 'darwin') return ['coreml'];
  return ['cuda'];
}

export function providerOrder(pref: ProviderPreference = 'auto', platform: NodeJS.Platform = process.platform): string[] {
  if (pref === 'cpu') return ['cpu'];
  if (pref === 'auto') return [...gpuProvidersFor(platform), 'cpu'];
  return [pref, 'cpu'];
}

// Threads for one session: SIGHTLINE_THREADS, else all cores but one — the sampler's ffmpeg decodes
// beside inference (read-ahead thread) and ORT's default (every core) made both wait on each other
// (docs/benchmarks.md: on 2 cores 1 thread indexed 1080p H.264 faster than 2; SD footage, where
// decoding is nearly free, was faster with 2).
// An import chooses its own count from its footage (indexing/budget.ts) for the sessions it opens.
let threadsForNextSessions: number | null = null;
const intraOpThreads = (): number => threadsForNextSessions ?? Math.max(1, Number(process.env.SIGHTLINE_THREADS) || os.availableParallelism() - 1);

/** Opens sessions (in `open`) with `threads` intra-op threads instead of the default; undefined: the default. */
export async function withIntraOpThreads<T>(threads: number | undefined, open: () => Promise<T>): Promise<T> {
  if (!threads) return open();
  threadsForNextSessions = Math.max(1, Math.floor(threads));
  try {
    return await open();
  } finally {
    threadsForNextSessions = null;
  }
}

/**
 * On Linux the CUDA provider is an add-on that onnxruntime-node downloads at install time (skipped
 * offline): without its library, trying it only prints an error, so say why and skip it.
 */
function missingAddOn(provider: string): string | null {
  if (provider !== 'cuda' || process.platform !== 'linux') return null;
  try {
    const bin = path.dirname(require.resolve('onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node'));
    return fs.existsSync(path.join(bin, 'libonnxruntime_providers_cuda.so')) ? null : 'CUDA add-on of onnxruntime-node not installed';
  } catch {
    return null;
  }
}

export async function createSession(modelPath: string, pref: ProviderPreference = 'auto'): Promise<OpenedSession> {
  const attempts: ProviderAttempt[] = [];
  for (const provider of providerOrder(pref)) {
    const missing = missingAddOn(provider);
    if (missing) { attempts.push({ provider, error: missing }); continue; }
    try {
      // A failing GPU provider is expected on many machines: keep ONNX Runtime's own log quiet about it.
      const opts: ort.InferenceSession.SessionOptions = { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: provider === 'cpu' ? 2 : 4 };
      opts.intraOpNumThreads = intraOpThreads();
      const session = await ort.InferenceSession.create(modelPath, opts);
      attempts.push({ provider, error: null });
      return { session, provider, attempts };
    } catch (e) {
      attempts.push({ provider, error: (e as Error).message.split('\n')[0] });
    }
  }
  throw new Error(`${modelPath}: no execution provider could load the model (${attempts.map((a) => `${a.provider}: ${a.error}`).join('; ')})`);
}
