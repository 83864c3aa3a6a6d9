// Safe file names for bundle entries. Names are built from ids plus a short slug of user text
// (camera name, note), so no note can steer a path out of the bundle or clash on any OS.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A short, lower-case, ASCII slug: letters, digits and single dashes only. Path separators, '..',
 * control characters and everything else collapse to '-'; empty when nothing usable is left.
 */
export function slug(text: string, maxLength = 24): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: "Café" -> "Cafe"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return WINDOWS_RESERVED.test(s) ? `x-${s}` : s;
}

/** Folder name of one exported item: bookmark and sighting ids, then a slug of camera and note. */
export function itemFolderName(bookmarkId: number, sightingId: number, camera: string, note: string): string {
  const ids = `b${String(bookmarkId).padStart(4, '0')}-s${String(sightingId).padStart(6, '0')}`;
  const tail = slug([camera, note].filter((t) => t.trim() !== '').join(' '));
  return tail ? `${ids}-${tail}` : ids;
}

/** File extension of the original container, if it is a plain short one ("mp4", "avi"); '' otherwise. */
export function safeExtension(fileName: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(fileName);
  return m ? m[1].toLowerCase() : '';
}
