// One entry point for every API call that arrives from the renderer, whichever way it travelled
// (Electron IPC or the loopback bridge): the RPC layer's serve(), with each payload validated
// against the contract before it reaches the engine.
import { API_METHODS, type ApiMethod, type SightlineApi } from '../common/contract';
import type { ErrorCode } from '../common/errors';
import { serve, type Call } from '../rpc/protocol';
import type { MediaFileSource } from './mediaProtocol';
import { validateCall } from './validate';

/** What Electron main and the bridge need from the engine (engine/host.ts's EngineHost satisfies it). */
export type DesktopEngine = SightlineApi & MediaFileSource & { close(): void | Promise<void> };

/** The API as the renderer may reach it: only API methods (never mediaFile/setToolPaths/close), validated. */
export function apiGateway(engine: SightlineApi): Call {
  return serve(engine, API_METHODS, (method, args) => validateCall(method as ApiMethod, args) as unknown[]);
}

/** HTTP status of a failure on the loopback bridge. */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_ARGUMENT': case 'UNKNOWN_METHOD': return 400;
    case 'UNAUTHORIZED': return 401;
    case 'FORBIDDEN': return 403;
    case 'NOT_FOUND': return 404;
    case 'NO_CASE': return 409;
    default: return 500;
  }
}
