// Runtime validation of every payload that crosses the IPC boundary (and the loopback bridge),
// derived from the zod contract (common/contract.ts): exact argument count, no unknown keys, right
// types, sane sizes, absolute paths. The renderer is untrusted: TypeScript types vanish at runtime.
import { z } from 'zod';
import { API, API_METHODS, ARITY, LIMITS, type ApiArgs, type ApiMethod } from '../common/contract';
import { ApiError } from '../common/errors';

export { LIMITS };

/** A rejected payload: the caller's fault (code INVALID_ARGUMENT or UNKNOWN_METHOD). */
export class ValidationError extends ApiError {
  constructor(message: string, code: 'INVALID_ARGUMENT' | 'UNKNOWN_METHOD' = 'INVALID_ARGUMENT') {
    super(code, message);
    this.name = 'ValidationError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Payloads are plain JSON: objects with inherited keys, class instances or functions are refused. */
function assertPlain(v: unknown, where: string): void {
  if (v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v)) return;
  if (Array.isArray(v)) { v.forEach((x, i) => assertPlain(x, `${where}[${i}]`)); return; }
  if (!isPlainObject(v)) throw new ValidationError(`${where}: expected plain JSON`);
  for (const [k, x] of Object.entries(v)) assertPlain(x, `${where}.${k}`);
}

/** `search.top`, `importPaths.paths[1]`, `setCamera.videoId`: the field at fault, named as the caller wrote it. */
function where(method: ApiMethod, issuePath: readonly PropertyKey[]): string {
  const [argIndex, ...rest] = issuePath;
  const name = API[method].names[Number(argIndex)];
  let out = method + (name && name !== 'req' ? `.${name}` : '');
  for (const p of rest) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

function describe(method: ApiMethod, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `${where(method, issue.path)}: unknown key "${issue.keys[0]}"`;
  return `${where(method, issue.path)}: ${issue.message}`;
}

/** Drops keys whose value is undefined so the engine sees exactly what was sent. */
function compact(v: unknown): unknown {
  if (isPlainObject(v)) for (const k of Object.keys(v)) if (v[k] === undefined) delete v[k];
  return v;
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(API, name) && (API_METHODS as readonly string[]).includes(name);
}

/** Checks the arguments of one API call; returns them (cleaned) or throws ValidationError. */
export function validateCall<M extends ApiMethod>(method: M, args: unknown): ApiArgs<M> {
  if (!isApiMethod(method)) throw new ValidationError(`call: unknown method ${JSON.stringify(String(method)).slice(0, 80)}`, 'UNKNOWN_METHOD');
  if (!Array.isArray(args)) throw new ValidationError(`${method}: arguments must be an array`);
  if (args.length !== ARITY[method]) throw new ValidationError(`${method}: expected ${ARITY[method]} argument(s), got ${args.length}`);
  assertPlain(args, method);
  const r = API[method].args.safeParse(args);
  if (!r.success) throw new ValidationError(describe(method, r.error.issues[0]));
  return (r.data as unknown[]).map(compact) as ApiArgs<M>;
}
