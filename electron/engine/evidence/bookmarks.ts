// Bookmarks: the sightings an investigator marks as relevant, each with a note. Every change is
// made in one transaction together with its audit entry, so the log and the table never disagree.
// The checks, the Bookmark shape and the audit entries below are the only copy: a team case
// (team/bookmarks.ts) runs the same ones with its own SQL.
import { writeTransaction, type Db } from '../case/caseFile';
import { appendAudit } from '../case/audit';
import type { AddBookmarkRequest, Bookmark, SearchHit } from '../contract';
import { sightingRow, toHit, type SightingRow } from '../search/hits';

export class BookmarkError extends Error {}

/** Longest note accepted; far beyond any real note, it only stops a runaway paste from bloating the case. */
export const MAX_NOTE_CHARS = 100_000;

/** A bookmarks row as either backend stores it (ids as numbers). */
export interface BookmarkRow {
  id: number; sighting_id: number; note: string; query: string | null; score: number | null;
  created_at: string; updated_at: string;
}

export function checkNote(note: string): string {
  if (typeof note !== 'string') throw new BookmarkError('note must be text');
  if (note.length > MAX_NOTE_CHARS) throw new BookmarkError(`note is ${note.length} characters; at most ${MAX_NOTE_CHARS} are accepted`);
  return note;
}

export function checkId(id: number, what: string): void {
  if (!Number.isSafeInteger(id) || id <= 0) throw new BookmarkError(`${what} must be a positive whole number, got ${String(id)}`);
}

/** A new bookmark's fields, checked: what both backends insert. */
export function checkNewBookmark(req: AddBookmarkRequest): { sightingId: number; note: string; query: string | null; score: number | null } {
  checkId(req.sightingId, 'sighting id');
  const note = checkNote(req.note ?? '');
  if (req.score !== undefined && !Number.isFinite(req.score)) throw new BookmarkError('score must be a finite number');
  return { sightingId: req.sightingId, note, query: req.query ?? null, score: req.score ?? null };
}

export const noSuchSighting = (id: number): BookmarkError => new BookmarkError(`sighting ${id} does not exist in this case`);
export const noSuchBookmark = (id: number): BookmarkError => new BookmarkError(`bookmark ${id} does not exist`);

/** The audit entries of bookmark changes (action and details), the same on a case file and a team case. */
export const bookmarkAudit = {
  added: (bookmarkId: number, b: ReturnType<typeof checkNewBookmark>) => ({ action: 'bookmark added', details: { bookmarkId, sightingId: b.sightingId, note: b.note, query: b.query, score: b.score } }),
  edited: (before: BookmarkRow, note: string) => ({ action: 'bookmark edited', details: { bookmarkId: before.id, sightingId: before.sighting_id, noteBefore: before.note, note } }),
  removed: (before: BookmarkRow) => ({ action: 'bookmark removed', details: { bookmarkId: before.id, sightingId: before.sighting_id, note: before.note } }),
};

function bookmarkRow(db: Db, id: number): BookmarkRow {
  checkId(id, 'bookmark id');
  const row = db.prepare('SELECT * FROM bookmarks WHERE id = ?').get(id) as BookmarkRow | undefined;
  if (!row) throw noSuchBookmark(id);
  return row;
}

/**
 * The hit a bookmark points at. A sighting whose video row was removed from the case leaves a
 * hit with an empty video path, so listing still shows the bookmark (hiding it would lose the note).
 */
function hitOf(row: BookmarkRow, s: SightingRow | undefined): SearchHit {
  if (s) return toHit(s, row.score ?? 0);
  return {
    sighting: row.sighting_id, videoId: 0, video: '', camera: '', time: 0, bbox: [0, 0, 0, 0],
    score: row.score ?? 0, start: 0, end: 0, wallClock: null, thumbnail: '', rejected: null,
  };
}

/** A bookmark as every caller sees it, from its row and its sighting's row (undefined: gone). */
export function toBookmark(row: BookmarkRow, sighting: SightingRow | undefined): Bookmark {
  return {
    id: row.id, sightingId: row.sighting_id, note: row.note, createdAt: row.created_at, updatedAt: row.updated_at,
    query: row.query, score: row.score, hit: hitOf(row, sighting),
  };
}

export function getBookmark(db: Db, id: number): Bookmark {
  const row = bookmarkRow(db, id);
  return toBookmark(row, sightingRow(db, row.sighting_id));
}

export function addBookmark(db: Db, user: string, req: AddBookmarkRequest): Bookmark {
  const b = checkNewBookmark(req);
  const id = writeTransaction(db, () => {
    if (!sightingRow(db, b.sightingId)) throw noSuchSighting(b.sightingId);
    const now = new Date().toISOString();
    const r = db.prepare('INSERT INTO bookmarks(sighting_id, note, query, score, created_at, updated_at) VALUES (?,?,?,?,?,?)')
      .run(b.sightingId, b.note, b.query, b.score, now, now);
    const bookmarkId = Number(r.lastInsertRowid);
    const e = bookmarkAudit.added(bookmarkId, b);
    appendAudit(db, user, e.action, e.details);
    return bookmarkId;
  });
  return getBookmark(db, id);
}

export function updateBookmark(db: Db, user: string, id: number, note: string): Bookmark {
  checkNote(note);
  writeTransaction(db, () => {
    const before = bookmarkRow(db, id);
    db.prepare('UPDATE bookmarks SET note = ?, updated_at = ? WHERE id = ?').run(note, new Date().toISOString(), id);
    const e = bookmarkAudit.edited(before, note);
    appendAudit(db, user, e.action, e.details);
  });
  return getBookmark(db, id);
}

export function removeBookmark(db: Db, user: string, id: number): void {
  writeTransaction(db, () => {
    const before = bookmarkRow(db, id);
    db.prepare('DELETE FROM bookmarks WHERE id = ?').run(id);
    const e = bookmarkAudit.removed(before);
    appendAudit(db, user, e.action, e.details);
  });
}

export function listBookmarks(db: Db): Bookmark[] {
  return (db.prepare('SELECT * FROM bookmarks ORDER BY id').all() as BookmarkRow[]).map((r) => toBookmark(r, sightingRow(db, r.sighting_id)));
}
