// Runtime validation of every payload that crosses the IPC boundary (and the loopback test bridge).
// The renderer is untrusted: TypeScript types vanish at runtime, so each method's arguments are
// checked here by hand — exact argument count, no unknown keys, right types, sane sizes, absolute paths.
import * as path from 'node:path';
import { API_METHODS, type ApiMethod, type SightlineApi } from '../engine/contract';

export class ValidationError extends Error {
  override name = 'ValidationError';
}

/** Limits that keep a hostile or buggy renderer from asking for absurd work. */
export const LIMITS = {
  pathChars: 4096,
  importPaths: 10_000,
  shortText: 200,
  searchText: 1_000,
  noteChars: 10_000,
  idList: 100_000,
  cameraList: 1_000,
  top: 10_000,
  maxFps: 60,
  maxPadS: 600,
  maxTimeS: 1e7,
} as const;

type Args<M extends ApiMethod> = Parameters<SightlineApi[M]>;

const fail = (where: string, what: string): never => {
  throw new ValidationError(`${where}: ${what}`);
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function record(v: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(v)) return fail(where, 'expected an object');
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(where, `unknown key "${k}"`);
  return v;
}

function text(v: unknown, where: string, max: number, opts: { nonEmpty?: boolean } = {}): string {
  if (typeof v !== 'string') return fail(where, 'expected a string');
  if (v.length > max) fail(where, `longer than ${max} characters`);
  if (opts.nonEmpty && v.trim() === '') fail(where, 'must not be empty');
  if (v.includes('\0')) fail(where, 'contains a NUL character');
  return v;
}

function absPath(v: unknown, where: string): string {
  const p = text(v, where, LIMITS.pathChars, { nonEmpty: true });
  if (!path.isAbsolute(p)) fail(where, 'expected an absolute path');
  return p;
}

function id(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) return fail(where, 'expected a positive integer id');
  return v;
}

function num(v: unknown, where: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fail(where, 'expected a finite number');
  if (v < min || v > max) fail(where, `must be between ${min} and ${max}`);
  return v;
}

function int(v: unknown, where: string, min: number, max: number): number {
  const n = num(v, where, min, max);
  if (!Number.isInteger(n)) fail(where, 'expected an integer');
  return n;
}

function list<T>(v: unknown, where: string, max: number, item: (x: unknown, w: string) => T, opts: { nonEmpty?: boolean } = {}): T[] {
  if (!Array.isArray(v)) return fail(where, 'expected an array');
  if (v.length > max) fail(where, `more than ${max} items`);
  if (opts.nonEmpty && v.length === 0) fail(where, 'must not be empty');
  return v.map((x, i) => item(x, `${where}[${i}]`));
}

/** Optional key: absent (or undefined) stays absent; present must pass `check`. */
function opt<T>(o: Record<string, unknown>, key: string, check: (v: unknown, w: string) => T, where: string): T | undefined {
  return o[key] === undefined ? undefined : check(o[key], `${where}.${key}`);
}

/** ISO 8601 date-time with an explicit offset or Z — a bare local time would be ambiguous evidence. */
function isoTime(v: unknown, where: string): string {
  const s = text(v, where, 64, { nonEmpty: true });
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) || Number.isNaN(Date.parse(s))) {
    fail(where, 'expected an ISO 8601 date-time with a time zone (e.g. 2024-05-01T14:03:00Z)');
  }
  return s;
}

const camera = (v: unknown, w: string): string => text(v, w, LIMITS.shortText);
const idList = (v: unknown, w: string): number[] => list(v, w, LIMITS.idList, id);
const cameraList = (v: unknown, w: string): string[] => list(v, w, LIMITS.cameraList, camera);
const score = (v: unknown, w: string): number => num(v, w, -1, 1);
const top = (v: unknown, w: string): number => int(v, w, 1, LIMITS.top);
const timeS = (v: unknown, w: string): number => num(v, w, 0, LIMITS.maxTimeS);

/** Drops keys whose value is undefined so the engine sees exactly what was sent. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

const EXECUTION_PROVIDERS = ['auto', 'cuda', 'dml', 'coreml', 'cpu'] as const;

type Validators = { [M in ApiMethod]: (a: unknown[]) => Args<M> };

const none = (): [] => [];

const VALIDATORS: Validators = {
  createCase: ([r]) => {
    const o = record(r, 'createCase', ['path', 'caseNumber', 'investigator', 'title']);
    return [compact({
      path: absPath(o.path, 'createCase.path'),
      caseNumber: text(o.caseNumber, 'createCase.caseNumber', LIMITS.shortText, { nonEmpty: true }),
      investigator: text(o.investigator, 'createCase.investigator', LIMITS.shortText, { nonEmpty: true }),
      title: opt(o, 'title', (v, w) => text(v, w, LIMITS.searchText), 'createCase'),
    })];
  },
  openCase: ([p]) => [absPath(p, 'openCase.path')],
  getCase: none,
  importPaths: ([r]) => {
    const o = record(r, 'importPaths', ['paths', 'fps']);
    return [compact({
      paths: list(o.paths, 'importPaths.paths', LIMITS.importPaths, absPath, { nonEmpty: true }),
      fps: opt(o, 'fps', (v, w) => num(v, w, 0.01, LIMITS.maxFps), 'importPaths'),
    })];
  },
  listVideos: none,
  setCamera: ([v, c]) => [id(v, 'setCamera.videoId'), camera(c, 'setCamera.camera')],
  setClockCorrection: ([v, t]) => [id(v, 'setClockCorrection.videoId'), t === null ? null : isoTime(t, 'setClockCorrection.trueStartTime')],
  search: ([r]) => {
    const o = record(r, 'search', ['text', 'top', 'videoIds', 'cameras', 'from', 'to', 'minScore']);
    const req = compact({
      text: text(o.text, 'search.text', LIMITS.searchText, { nonEmpty: true }),
      top: opt(o, 'top', top, 'search'),
      videoIds: opt(o, 'videoIds', idList, 'search'),
      cameras: opt(o, 'cameras', cameraList, 'search'),
      from: opt(o, 'from', timeS, 'search'),
      to: opt(o, 'to', timeS, 'search'),
      minScore: opt(o, 'minScore', score, 'search'),
    });
    if (req.from !== undefined && req.to !== undefined && req.from > req.to) fail('search', '"from" is after "to"');
    return [req];
  },
  searchSimilar: ([r]) => {
    const o = record(r, 'searchSimilar', ['sightingId', 'top', 'videoIds', 'cameras', 'minScore']);
    return [compact({
      sightingId: id(o.sightingId, 'searchSimilar.sightingId'),
      top: opt(o, 'top', top, 'searchSimilar'),
      videoIds: opt(o, 'videoIds', idList, 'searchSimilar'),
      cameras: opt(o, 'cameras', cameraList, 'searchSimilar'),
      minScore: opt(o, 'minScore', score, 'searchSimilar'),
    })];
  },
  getSighting: ([s]) => [id(s, 'getSighting.id')],
  addBookmark: ([r]) => {
    const o = record(r, 'addBookmark', ['sightingId', 'note', 'query', 'score']);
    return [compact({
      sightingId: id(o.sightingId, 'addBookmark.sightingId'),
      note: opt(o, 'note', (v, w) => text(v, w, LIMITS.noteChars), 'addBookmark'),
      query: opt(o, 'query', (v, w) => text(v, w, LIMITS.searchText), 'addBookmark'),
      score: opt(o, 'score', score, 'addBookmark'),
    })];
  },
  updateBookmark: ([b, n]) => [id(b, 'updateBookmark.id'), text(n, 'updateBookmark.note', LIMITS.noteChars)],
  removeBookmark: ([b]) => [id(b, 'removeBookmark.id')],
  listBookmarks: none,
  exportEvidence: ([r]) => {
    const o = record(r, 'exportEvidence', ['outDir', 'bookmarks', 'padS']);
    return [compact({
      outDir: absPath(o.outDir, 'exportEvidence.outDir'),
      bookmarks: o.bookmarks === 'all' ? 'all' as const : list(o.bookmarks, 'exportEvidence.bookmarks', LIMITS.idList, id, { nonEmpty: true }),
      padS: opt(o, 'padS', (v, w) => num(v, w, 0, LIMITS.maxPadS), 'exportEvidence'),
    })];
  },
  getSettings: none,
  setSettings: ([r]) => {
    const o = record(r, 'setSettings', ['ffmpegPath', 'ffprobePath', 'sampleFps', 'executionProvider']);
    // '' means "find it automatically"; anything else must be an absolute path to a binary.
    const binary = (v: unknown, w: string): string => (v === '' ? '' : absPath(v, w));
    return [compact({
      ffmpegPath: opt(o, 'ffmpegPath', binary, 'setSettings'),
      ffprobePath: opt(o, 'ffprobePath', binary, 'setSettings'),
      sampleFps: opt(o, 'sampleFps', (v, w) => num(v, w, 0.01, LIMITS.maxFps), 'setSettings'),
      executionProvider: opt(o, 'executionProvider', (v, w) => {
        if (!EXECUTION_PROVIDERS.includes(v as never)) fail(w, `expected one of ${EXECUTION_PROVIDERS.join(', ')}`);
        return v as (typeof EXECUTION_PROVIDERS)[number];
      }, 'setSettings'),
    })];
  },
  status: none,
};

/** How many arguments each method takes; a call with more or fewer is rejected. */
const ARITY: { [M in ApiMethod]: number } = {
  createCase: 1, openCase: 1, getCase: 0, importPaths: 1, listVideos: 0, setCamera: 2, setClockCorrection: 2,
  search: 1, searchSimilar: 1, getSighting: 1, addBookmark: 1, updateBookmark: 2, removeBookmark: 1,
  listBookmarks: 0, exportEvidence: 1, getSettings: 0, setSettings: 1, status: 0,
};

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/** Checks the arguments of one API call; returns them (cleaned) or throws ValidationError. */
export function validateCall<M extends ApiMethod>(method: M, args: unknown): Args<M> {
  if (!isApiMethod(method)) return fail('call', `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
  if (!Array.isArray(args)) return fail(method, 'arguments must be an array');
  if (args.length !== ARITY[method]) fail(method, `expected ${ARITY[method]} argument(s), got ${args.length}`);
  return VALIDATORS[method](args) as Args<M>;
}
