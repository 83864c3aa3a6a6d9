// How times, durations and scores are shown. Every wall-clock time shown to the investigator is the
// corrected one: the video's true start time (set by them) or its container creation time, plus offset.
import type { SearchHit, VideoInfo } from '../../electron/common/contract';

/** 83.4 → "1:23.4"; 3723 → "1:02:03.0". */
export function clock(seconds: number, decimals = 1): string {
  if (!Number.isFinite(seconds)) return '–';
  const neg = seconds < 0;
  let s = Math.abs(seconds);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const ss = s.toFixed(decimals).padStart(decimals > 0 ? 3 + decimals : 2, '0');
  return `${neg ? '-' : ''}${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : m}:${ss}`;
}

/** "12 s", "3 min 5 s", "1 h 2 min" */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Wall-clock ms of `timeS` into a video, or null when the video has no known start time. */
export function wallClockMs(video: Pick<VideoInfo, 'trueStartTime' | 'creationTime'> | undefined, timeS: number): number | null {
  const base = video?.trueStartTime ?? video?.creationTime ?? null;
  if (!base) return null;
  const ms = Date.parse(base);
  return Number.isNaN(ms) ? null : ms + Math.round(timeS * 1000);
}

/** Corrected wall-clock of a hit: from the current video list (so a new correction applies at once), else the engine's. */
export function hitWallClockMs(hit: SearchHit, video: VideoInfo | undefined, timeS = hit.time): number | null {
  if (video) return wallClockMs(video, timeS);
  if (!hit.wallClock) return null;
  return Date.parse(hit.wallClock) + Math.round((timeS - hit.time) * 1000);
}

const p2 = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** "+01:00" / "-05:00" / "+00:00": the investigator's UTC offset at that instant. */
export function utcOffset(ms: number): string {
  const off = -new Date(ms).getTimezoneOffset();
  return `${off < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(off) / 60))}:${p2(Math.abs(off) % 60)}`;
}

/**
 * ISO 8601, 24-hour, in the investigator's time zone with its offset: "2024-05-01 14:03:07 +01:00"
 * ('no clock' when the camera's clock is unknown). Every wall-clock time in the UI is written this way.
 */
export function dateTime(ms: number | null): string {
  if (ms === null) return 'no clock';
  const d = new Date(ms);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${utcOffset(ms)}`;
}

/** "14:03:07" (local, 24-hour), for axis ticks whose date and offset are said once. */
export function timeOfDay(ms: number): string {
  return dateTime(ms).slice(11, 19);
}

/** "2024-05-01" (local). */
export function dayOf(ms: number): string {
  return dateTime(ms).slice(0, 10);
}

/** ISO time → the text the clock-correction field shows: ISO 8601 with the local offset, "2024-05-01T14:03:07+01:00". */
export function toIsoInput(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const s = dateTime(ms);
  return `${s.slice(0, 10)}T${s.slice(11, 19)}${s.slice(20)}`;
}

/**
 * What the investigator typed as a wall-clock time → ISO 8601 UTC. ISO 8601 24-hour with a time zone
 * ("2024-05-01T14:03:00+01:00", "…Z"); without a zone it is ambiguous evidence and refused.
 */
export function parseIsoInput(text: string): { iso: string } | { error: string } {
  const t = text.trim().replace(' ', 'T');
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return { error: 'Use ISO 8601, 24-hour: 2024-05-01T14:03:00+01:00' };
  if (!m[8]) return { error: 'Add the time zone (e.g. +01:00 or Z): a time without one is ambiguous' };
  const ms = Date.parse(t);
  if (Number.isNaN(ms) || Number(m[2]) > 12 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return { error: `"${text}" is not a valid date and time` };
  return { iso: new Date(ms).toISOString() };
}

/** "1:23", "83", "1:02:03" → seconds; null when empty or unreadable. */
export function parseClock(text: string): number | null {
  const t = text.trim();
  if (!t) return null;
  if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(t)) return null;
  return t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

export const score = (s: number | null | undefined): string => (s === null || s === undefined ? '–' : s.toFixed(3));

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(1)} ${units[i]}`;
}
