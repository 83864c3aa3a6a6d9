// Is this file a whole, untampered Sightline case? Checked on open, before anything is migrated or
// switched to WAL: the application id, the schema version, every table/index/trigger/view against
// the ones Sightline's own migrations create, and SQLite's structural quick_check.
import Database from 'better-sqlite3';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';

interface SchemaObject { type: string; name: string; tbl_name: string; sql: string | null }

const SCHEMA_QUERY = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
const expectedCache = new Map<number, Map<string, SchemaObject>>();

/** What the migrations up to `version` create, built in memory (one declaration of the schema: MIGRATIONS). */
export function expectedSchema(version: number): Map<string, SchemaObject> {
  let m = expectedCache.get(version);
  if (!m) {
    const mem = new Database(':memory:');
    try {
      for (let v = 0; v < version; v++) mem.exec(MIGRATIONS[v]);
      m = new Map((mem.prepare(SCHEMA_QUERY).all() as SchemaObject[]).map((o) => [`${o.type} ${o.name}`, o]));
    } finally {
      mem.close();
    }
    expectedCache.set(version, m);
  }
  return m;
}

/** Every difference between the file's schema and the expected one (a planted trigger, a dropped one, an altered table). */
export function schemaProblems(db: Database.Database, version = db.pragma('user_version', { simple: true }) as number): string[] {
  const expected = expectedSchema(Math.min(version, SCHEMA_VERSION));
  const actual = db.prepare(SCHEMA_QUERY).all() as SchemaObject[];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of actual) {
    const key = `${o.type} ${o.name}`;
    seen.add(key);
    const e = expected.get(key);
    if (!e) problems.push(`unexpected ${o.type} "${o.name}" on ${o.tbl_name} (not created by Sightline)`);
    else if (e.sql !== o.sql || e.tbl_name !== o.tbl_name) problems.push(`${o.type} "${o.name}" differs from Sightline's definition`);
  }
  for (const [key, e] of expected) if (!seen.has(key)) problems.push(`${e.type} "${e.name}" is missing`);
  return problems;
}

export type CaseKind = { kind: 'case'; version: number } | { kind: 'newer'; version: number } | { kind: 'foreign'; why: string };

/** Reads only the header and sqlite_master: what kind of file this is. */
export function classify(db: Database.Database): CaseKind {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== APPLICATION_ID && appId !== 0) return { kind: 'foreign', why: `application id ${appId} is another program's` };
  if (version > SCHEMA_VERSION && appId === APPLICATION_ID) return { kind: 'newer', version };
  if (appId === APPLICATION_ID && version >= 1) return { kind: 'case', version };
  // Cases written before application_id was set: schema version 1 with exactly Sightline's tables.
  if (appId === 0 && version === 1 && schemaProblems(db, 1).length === 0) return { kind: 'case', version };
  return { kind: 'foreign', why: version === 0 ? 'no Sightline schema in it' : `schema version ${version} without Sightline's application id` };
}

/** PRAGMA quick_check: structural damage (random bytes over a page, a cut-off file) shows here. */
export function quickCheck(db: Database.Database): string[] {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  const out = rows.map((r) => r.quick_check);
  return out.length === 1 && out[0] === 'ok' ? [] : out;
}
