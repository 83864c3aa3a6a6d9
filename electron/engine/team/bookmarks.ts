// Bookmarks of a team case: the checks, the Bookmark shape and the audit entries of the case file's
// bookmarks (evidence/bookmarks.ts), with PostgreSQL's SQL. Each change and its audit entry are one
// transaction; the entry's actor is the database role (appendAuditOn), never a typed name.
import type { Pool, PoolClient } from 'pg';
import type { AddBookmarkRequest, Bookmark } from '../contract';
import { bookmarkAudit, checkId, checkNewBookmark, checkNote, noSuchBookmark, noSuchSighting, toBookmark, type BookmarkRow } from '../evidence/bookmarks';
import { appendAuditOn } from './pgStore';
import { inTransaction } from './server';
import { teamSightingRow, teamSightingRows } from './sightings';

const COLUMNS = 'id, sighting_id, note, query, score, created_at, updated_at';

/** bigint ids arrive as strings from the driver: the row as the case file would give it. */
function toRow(r: Record<string, unknown>): BookmarkRow {
  return { ...(r as unknown as BookmarkRow), id: Number(r.id), sighting_id: Number(r.sighting_id) };
}

async function bookmarkRow(c: Pool | PoolClient, id: number, lock = false): Promise<BookmarkRow> {
  checkId(id, 'bookmark id');
  const r = (await c.query(`SELECT ${COLUMNS} FROM bookmarks WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0] as Record<string, unknown> | undefined;
  if (!r) throw noSuchBookmark(id);
  return toRow(r);
}

export async function teamGetBookmark(pool: Pool, id: number): Promise<Bookmark> {
  const row = await bookmarkRow(pool, id);
  return toBookmark(row, await teamSightingRow(pool, row.sighting_id));
}

export async function teamAddBookmark(pool: Pool, req: AddBookmarkRequest): Promise<Bookmark> {
  const b = checkNewBookmark(req);
  const id = await inTransaction(pool, async (c) => {
    // KEY SHARE: the sighting cannot be re-stitched away between this check and the commit.
    if (!(await c.query('SELECT 1 FROM sightings WHERE id = $1 FOR KEY SHARE', [b.sightingId])).rowCount) throw noSuchSighting(b.sightingId);
    const now = new Date().toISOString();
    const bookmarkId = Number((await c.query('INSERT INTO bookmarks(sighting_id, note, query, score, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [b.sightingId, b.note, b.query, b.score, now, now])).rows[0].id);
    const e = bookmarkAudit.added(bookmarkId, b);
    await appendAuditOn(c, e.action, e.details);
    return bookmarkId;
  });
  return teamGetBookmark(pool, id);
}

export async function teamUpdateBookmark(pool: Pool, id: number, note: string): Promise<Bookmark> {
  checkNote(note);
  await inTransaction(pool, async (c) => {
    const before = await bookmarkRow(c, id, true);
    await c.query('UPDATE bookmarks SET note = $1, updated_at = $2 WHERE id = $3', [note, new Date().toISOString(), id]);
    const e = bookmarkAudit.edited(before, note);
    await appendAuditOn(c, e.action, e.details);
  });
  return teamGetBookmark(pool, id);
}

export async function teamRemoveBookmark(pool: Pool, id: number): Promise<void> {
  await inTransaction(pool, async (c) => {
    const before = await bookmarkRow(c, id, true);
    await c.query('DELETE FROM bookmarks WHERE id = $1', [id]);
    const e = bookmarkAudit.removed(before);
    await appendAuditOn(c, e.action, e.details);
  });
}

export async function teamListBookmarks(pool: Pool | PoolClient): Promise<Bookmark[]> {
  const rows = ((await pool.query(`SELECT ${COLUMNS} FROM bookmarks ORDER BY id`)).rows as Record<string, unknown>[]).map(toRow);
  const sightings = await teamSightingRows(pool, rows.map((r) => r.sighting_id));
  return rows.map((r) => toBookmark(r, sightings.get(r.sighting_id)));
}
