// Bookmarks: the sightings an investigator marks as relevant, each with a note. Every change is
// made in one transaction together with its audit entry, so the log and the table never disagree.
import { writeTransaction, type Db } from '../case/caseFile';
import { appendAudit } from '../case/audit';
import type { AddBookmarkRequest, Bookmark, SearchHit } from '../contract';
import { sightingRow, toHit } from '../search/hits';

export class BookmarkError extends Error {}

/** Longest note accepted; far beyond any real note, it only stops a runaway paste from bloating the case. */
export const MAX_NOTE_CHARS = 100_000;

interface BookmarkRow {
  id: number; sighting_id: number; note: string; query: string | null; score: number | null;
  created_at: string; updated_at: string;
}

function checkNote(note: string): string {
  if (typeof note !== 'string') throw new BookmarkError('note must be text');
  if (note.length > MAX_NOTE_CHARS) throw new BookmarkError(`note is ${note.length} characters; at most ${MAX_NOTE_CHARS} are accepted`);
  return note;
}

function checkId(id: number, what: string): void {
  if (!Number.isSafeInteger(id) || id <= 0) throw new BookmarkError(`${what} must be a positive whole number, got ${String(id)}`);
}

function bookmarkRow(db: Db, id: number): BookmarkRow {
  checkId(id, 'bookmark id');
  const row = db.prepare('SELECT * FROM bookmarks WHERE id = ?').get(id) as BookmarkRow | undefined;
  if (!row) throw new BookmarkError(`bookmark ${id} does not exist`);
  return row;
}

/**
 * The hit a bookmark points at. A sighting whose video row was removed from the case leaves a
 * hit with an empty video path, so listing still shows the bookmark (hiding it would lose the note).
 */
function hitOf(db: Db, row: BookmarkRow): SearchHit {
  const s = sightingRow(db, row.sighting_id);
  if (s) return toHit(s, row.score ?? 0);
  return {
    sighting: row.sighting_id, videoId: 0, video: '', camera: '', time: 0, bbox: [0, 0, 0, 0],
    score: row.score ?? 0, start: 0, end: 0, wallClock: null, thumbnail: '', rejected: null,
  };
}

function toBookmark(db: Db, row: BookmarkRow): Bookmark {
  return {
    id: row.id, sightingId: row.sighting_id, note: row.note, createdAt: row.created_at, updatedAt: row.updated_at,
    query: row.query, score: row.score, hit: hitOf(db, row),
  };
}

export function getBookmark(db: Db, id: number): Bookmark {
  return toBookmark(db, bookmarkRow(db, id));
}

export function addBookmark(db: Db, user: string, req: AddBookmarkRequest): Bookmark {
  checkId(req.sightingId, 'sighting id');
  const note = checkNote(req.note ?? '');
  if (req.score !== undefined && !Number.isFinite(req.score)) throw new BookmarkError('score must be a finite number');
  const id = writeTransaction(db, () => {
    if (!sightingRow(db, req.sightingId)) throw new BookmarkError(`sighting ${req.sightingId} does not exist in this case`);
    const now = new Date().toISOString();
    const r = db.prepare('INSERT INTO bookmarks(sighting_id, note, query, score, created_at, updated_at) VALUES (?,?,?,?,?,?)')
      .run(req.sightingId, note, req.query ?? null, req.score ?? null, now, now);
    const bookmarkId = Number(r.lastInsertRowid);
    appendAudit(db, user, 'bookmark added', { bookmarkId, sightingId: req.sightingId, note, query: req.query ?? null, score: req.score ?? null });
    return bookmarkId;
  });
  return getBookmark(db, id);
}

export function updateBookmark(db: Db, user: string, id: number, note: string): Bookmark {
  checkNote(note);
  writeTransaction(db, () => {
    const before = bookmarkRow(db, id);
    db.prepare('UPDATE bookmarks SET note = ?, updated_at = ? WHERE id = ?').run(note, new Date().toISOString(), id);
    appendAudit(db, user, 'bookmark edited', { bookmarkId: id, sightingId: before.sighting_id, noteBefore: before.note, note });
  });
  return getBookmark(db, id);
}

export function removeBookmark(db: Db, user: string, id: number): void {
  writeTransaction(db, () => {
    const before = bookmarkRow(db, id);
    db.prepare('DELETE FROM bookmarks WHERE id = ?').run(id);
    appendAudit(db, user, 'bookmark removed', { bookmarkId: id, sightingId: before.sighting_id, note: before.note });
  });
}

export function listBookmarks(db: Db): Bookmark[] {
  return (db.prepare('SELECT * FROM bookmarks ORDER BY id').all() as BookmarkRow[]).map((r) => toBookmark(db, r));
}
