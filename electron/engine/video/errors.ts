// One error type for everything that can go wrong with a video file, worded for an investigator:
// the message is "<file>: <reason>" and `reason` alone is what an import report shows.
export class VideoError extends Error {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'VideoError';
    this.file = file;
    this.reason = reason;
  }
}

/** Error thrown when an AbortSignal stops work (same name as DOM AbortError, so callers can test `name`). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error(typeof reason === 'string' ? reason : 'aborted');
  err.name = 'AbortError';
  return err;
}

/** The ffmpeg/ffprobe message, without its "[demuxer @ 0x...] [error]" prefixes and the file name echo. */
export function cleanLogLine(line: string, file?: string): string {
  let s = line.replace(/^(\[[^\]]*\]\s*)+/, '').trim();
  if (file) {
    // ffmpeg echoes the input name ("file:/x/y.mp4: Invalid data ..."); the caller already names the file.
    for (const name of [`file:${file}`, file, '<input>']) {
      if (s.startsWith(name + ': ')) s = s.slice(name.length + 2);
    }
  }
  return s;
}

/**
 * Turns ffmpeg/ffprobe diagnostics into a reason an investigator understands, or null when nothing
 * in them is recognised. `decoded` says whether the file was already known to be a readable video
 * (then "invalid data" means damage, not "this is not a video").
 */
export function reasonFromFfmpegLog(lines: readonly string[], file: string, decoded: boolean): string | null {
  const text = lines.join('\n');
  const first = (re: RegExp): string => cleanLogLine(lines.find((l) => re.test(l)) ?? '', file);
  if (/Permission denied/i.test(text)) return 'unreadable (permission denied)';
  if (/No such file or directory/i.test(text)) return 'no such file';
  const noDecoder = /Decoder \(codec ([^)]*)\) not found|no decoder found for codec ([^\s.,]+)/i.exec(text);
  if (noDecoder) return `unsupported codec '${noDecoder[1] ?? noDecoder[2]}' (no decoder)`;
  // Most telling first: a missing index or data that stops early says "cut short" better than the
  // packet-level complaints that come before it in the log.
  for (const re of [/moov atom not found/i, /partial file/i, /truncat/i, /end of file/i,
    /corrupt|invalid nal unit size|error splitting the input/i]) {
    if (re.test(text)) return `truncated or corrupt (${first(re)})`;
  }
  if (/matches no streams|does not contain any stream/i.test(text)) return 'no video stream';
  if (/Invalid data found when processing input/i.test(text)) {
    return decoded ? `truncated or corrupt (${first(/Invalid data/i)})` : 'not a video (unrecognized data)';
  }
  return null;
}
