// The one request/response + events protocol, whatever carries it (worker thread messages, Electron
// IPC, loopback HTTP). Node-free. Failures travel as { code, message } (common/errors.ts).
import { ApiError, fromWireError, toWireError, type WireError } from '../common/errors';

export type Reply = { ok: true; value: unknown } | { ok: false; error: WireError };
export type Call = (method: string, args: unknown[]) => Promise<Reply>;
export type Subscribe = (listener: (event: unknown) => void) => () => void;

/**
 * The serving half: turns `target` into a Call that never throws (every failure becomes a Reply).
 * `check` sees each call first (validation, policy) and returns the arguments to use.
 */
export function serve(target: object, methods: readonly string[], check?: (method: string, args: unknown) => unknown[]): Call {
  const allowed = new Set(methods);
  return async (method, args) => {
    try {
      if (typeof method !== 'string' || !allowed.has(method)) throw new ApiError('UNKNOWN_METHOD', `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
      const clean = check ? check(method, args) : args;
      const fn = (target as Record<string, (...a: unknown[]) => unknown>)[method];
      const value = await fn.apply(target, clean);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: toWireError(e) };
    }
  };
}

/** The calling half: an object with one async function per method; failures reject with ApiError (code kept). */
export function proxy<T>(call: Call, methods: readonly string[], subscribe?: Subscribe): T {
  const api: Record<string, unknown> = {};
  for (const m of methods) {
    api[m] = async (...args: unknown[]) => {
      const r = await call(m, args);
      if (!r.ok) throw fromWireError(r.error);
      return r.value;
    };
  }
  if (subscribe) api.onProgress = subscribe;
  return api as T;
}
