// Execution-provider choice. A GPU provider that fails to load (CUDA libraries missing, no DirectML
// device) makes InferenceSession.create reject even with 'cpu' listed after it, so each provider
// is tried on its own and the first that opens wins; what was tried and why it failed is reported.
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

// Threads for one session; the sampler (ffmpeg) runs beside inference, so leave it room.
const intraOpThreads = (): number => Math.max(1, Number(process.env.SIGHTLINE_THREADS) || 0) || 0;

export async function createSession(modelPath: string, pref: ProviderPreference = 'auto'): Promise<OpenedSession> {
  const attempts: ProviderAttempt[] = [];
  for (const provider of providerOrder(pref)) {
    try {
      const opts: ort.InferenceSession.SessionOptions = { executionProviders: [provider], graphOptimizationLevel: 'all' };
      const threads = intraOpThreads();
      if (threads) opts.intraOpNumThreads = threads;
      const session = await ort.InferenceSession.create(modelPath, opts);
      attempts.push({ provider, error: null });
      return { session, provider, attempts };
    } catch (e) {
      attempts.push({ provider, error: (e as Error).message.split('\n')[0] });
    }
  }
  throw new Error(`${modelPath}: no execution provider could load the model (${attempts.map((a) => `${a.provider}: ${a.error}`).join('; ')})`);
}
