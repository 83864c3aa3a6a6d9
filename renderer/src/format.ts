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

/** "2024-05-01 14:03:07" in the investigator's local time zone. */
export function dateTime(ms: number | null): string {
  if (ms === null) return 'no clock';
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** ISO time → value for <input type="datetime-local" step="1"> (local time). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return dateTime(ms).replace(' ', 'T');
}

/** <input type="datetime-local"> value (local time) → ISO 8601 with Z, or null. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
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
