// Flag parsing shared by every command (node:util parseArgs, with errors a user can act on). Numeric
// flags are checked with the contract's schemas (common/contract.ts), so the CLI and the IPC layer
// accept exactly the same values.
import { parseArgs, ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import type { CaseInfo } from '../common/contract';
import type { Engine } from '../engine/api';
import { withPromptedPassword } from './password';

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

/**
 * Opens the case a command acts on, through the one Engine door: a team case with --server (or
 * SIGHTLINE_SERVER when no --db is given; cli/teamArgs.ts), else the case file of --db.
 */
export async function openCaseFor(engine: Engine, values: { db?: string; server?: string }, usage: string, opts: { readonly?: boolean } = {}): Promise<CaseInfo> {
  const server = values.server ?? (values.db ? undefined : process.env.SIGHTLINE_SERVER);
  if (server?.trim()) return engine.openTeamCase({ server: await withPromptedPassword(server.trim()) });
  return engine.openCase(requireDb(values.db, `${usage}\n(or --server <postgres://…> / SIGHTLINE_SERVER for a team case)`), opts);
}

export function number(value: string | undefined, name: string, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${name}: "${value}" is not a number\nusage: ${usage}`);
  return n;
}

/** A number flag checked against a schema of the contract (e.g. topSchema): "--top: "0" must be between 1 and 10000". */
/** A text flag checked by the contract's schema (the same rule the IPC layer applies). */
export function checkedText(value: string | undefined, name: string, schema: z.ZodType<string>, usage: string): string | undefined {
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${name}: "${value}" ${r.error.issues[0].message}\nusage: ${usage}`);
  return r.data;
}

export function checkedNumber(value: string | undefined, name: string, schema: z.ZodType<number>, usage: string): number | undefined {
  const n = number(value, name, usage);
  if (n === undefined) return undefined;
  const r = schema.safeParse(n);
  if (!r.success) throw new UsageError(`${name}: "${value}" ${r.error.issues[0].message}\nusage: ${usage}`);
  return r.data;
}
