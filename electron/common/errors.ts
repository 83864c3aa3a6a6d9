// Error codes: every failure crosses a process boundary (worker thread, Electron IPC, the loopback
// bridge) as { code, message }, and callers switch on the code, never on the wording.
export const ERROR_CODES = [
  'INVALID_ARGUMENT', // the caller's payload broke the contract (its own fault)
  'UNKNOWN_METHOD',
  'NO_CASE', // no case is open
  'NOT_FOUND', // an id that is not in this case
  'CASE_FILE', // the case file cannot be opened or is not a Sightline case
  'CASE_BUSY', // another process is writing to (indexing) this case: one writer per case
  'FORBIDDEN', // refused by policy (e.g. a UNC path read from a case, an executable set from the UI)
  'UNAUTHORIZED', // bridge: no or wrong token, wrong Host/Origin
  'INTERNAL', // anything else
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What crosses a boundary for a failure: a code and a message, never a stack or an object. */
export interface WireError { code: ErrorCode; message: string }

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

export function toWireError(e: unknown): WireError {
  const code = e && typeof e === 'object' && isErrorCode((e as { code?: unknown }).code) ? (e as { code: ErrorCode }).code : 'INTERNAL';
  const message = e instanceof Error ? e.message : String(e);
  return { code, message: message.slice(0, 2000) };
}

export function fromWireError(w: WireError): ApiError {
  return new ApiError(isErrorCode(w?.code) ? w.code : 'INTERNAL', String(w?.message ?? 'unknown error'));
}

/** The code of any error (ApiError or one that came back over a boundary); 'INTERNAL' when none. */
export function errorCode(e: unknown): ErrorCode {
  return toWireError(e).code;
}
