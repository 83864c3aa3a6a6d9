// Flag parsing shared by every command (node:util parseArgs, with errors a user can act on).
import { parseArgs, ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${usage}`);
  }
}

export function requireDb(db: string | undefined, usage: string): string {
  if (!db) throw new UsageError(`--db <case.sqlite> is required\nusage: ${usage}`);
  return db;
}

export function number(value: string | undefined, name: string, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${name}: "${value}" is not a number\nusage: ${usage}`);
  return n;
}
