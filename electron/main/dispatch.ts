// One entry point for every API call that arrives from the renderer, whichever way it travelled
// (Electron IPC or the loopback test bridge): validate the payload, then call the engine.
import type { ApiMethod, SightlineApi } from '../engine/contract';
import { isApiMethod, validateCall, ValidationError } from './validate';
import type { MediaFileSource } from './mediaProtocol';

/** What Electron main and the bridge need from the engine (engine/api.ts's `Engine` satisfies it). */
export type DesktopEngine = SightlineApi & MediaFileSource & { close(): void | Promise<void> };

/** The error a renderer sees: a message and whether it was its own fault (a rejected payload). */
export interface ApiFailure { message: string; invalid: boolean }

export async function dispatchApiCall(engine: SightlineApi, method: unknown, args: unknown): Promise<unknown> {
  if (!isApiMethod(method)) throw new ValidationError(`unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
  const clean = validateCall(method, args);
  const fn = engine[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(engine, clean as unknown[]);
}

export function describeFailure(e: unknown): ApiFailure {
  const message = e instanceof Error ? e.message : String(e);
  return { message: message.slice(0, 2000), invalid: e instanceof ValidationError };
}
