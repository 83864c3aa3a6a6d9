// URLs of the custom media protocol. Only ids go into URLs: the protocol resolves them through the
// case file, so it can never serve a file that was not imported.
import { MEDIA_SCHEME } from './contract';

export const videoUrl = (videoId: number): string => `${MEDIA_SCHEME}://video/${videoId}`;
export const thumbnailUrl = (sightingId: number): string => `${MEDIA_SCHEME}://thumbnail/${sightingId}`;
/** The playable proxy of an imported video (video/proxy.ts); served only when the case records it as ready. */
export const proxyUrl = (videoId: number): string => `${MEDIA_SCHEME}://proxy/${videoId}`;

export type MediaRef = { kind: 'video'; videoId: number } | { kind: 'proxy'; videoId: number } | { kind: 'thumbnail'; sightingId: number };

/** Parses a media URL; null for anything that is not exactly one of the shapes above. */
export function parseMediaUrl(url: string): MediaRef | null {
  const m = /^media:\/\/(video|proxy|thumbnail)\/(\d{1,12})\/?(?:[?#].*)?$/.exec(url);
  if (!m) return null;
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return m[1] === 'thumbnail' ? { kind: 'thumbnail', sightingId: id } : { kind: m[1] as 'video' | 'proxy', videoId: id };
}
