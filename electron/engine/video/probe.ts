// What a video file is: ffprobe's view of it, reduced to what indexing and playback need, or a
// VideoError that tells the investigator why the file cannot be used.
import * as fs from 'node:fs';
import type { VideoMetadata } from '../contract';
import { VideoError, cleanLogLine, reasonFromFfmpegLog } from './errors';
import { fileUrl, runCollect } from './ffmpeg';

export { fileUrl };

export interface VideoProbe extends VideoMetadata {
  /** ffprobe's JSON (-show_format -show_streams), kept verbatim for the case file. */
  raw: unknown;
}

interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number | string }[];
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; tags?: Record<string, string> };
}

/** "30000/1001" → 29.97; "0/0", "", garbage → 0. */
export function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const m = /^(-?\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(rate.trim());
  if (!m) return 0;
  const num = Number(m[1]);
  const den = m[2] === undefined ? 1 : Number(m[2]);
  const v = den === 0 ? 0 : num / den;
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * Clockwise rotation in {0, 90, 180, 270}. The display matrix side data (ffprobe ≥ 5) gives the
 * counter-clockwise angle ("rotation": -90 for a portrait phone clip); older builds give tags.rotate (clockwise).
 */
export function rotationOf(stream: FfprobeStream): number {
  let deg: number | null = null;
  for (const sd of stream.side_data_list ?? []) {
    if (sd.rotation !== undefined && /display ?matrix/i.test(sd.side_data_type ?? 'Display Matrix')) {
      const r = Number(sd.rotation);
      if (Number.isFinite(r)) deg = -r;
    }
  }
  if (deg === null && stream.tags?.rotate !== undefined) {
    const r = Number(stream.tags.rotate);
    if (Number.isFinite(r)) deg = r;
  }
  if (deg === null) return 0;
  const snapped = Math.round(deg / 90) * 90;
  return ((snapped % 360) + 360) % 360;
}

/** ISO 8601 of a creation_time tag, or null when absent or unparseable. */
export function parseCreationTime(value: string | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value.trim());
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

const STILL_IMAGE_FORMATS = /^(image2|[a-z0-9]+_pipe|gif|apng|webp_pipe|png_pipe|jpeg_pipe)$/;

// First bytes of containers a CCTV export may use; a file that starts like one but does not parse
// is damaged, anything else is "not a video".
function looksLikeContainer(head: Buffer): boolean {
  const ascii = head.subarray(0, 12).toString('latin1');
  if (ascii.slice(4, 8) === 'ftyp' || ['moov', 'mdat', 'free', 'wide', 'skip'].includes(ascii.slice(4, 8))) return true;
  if (ascii.startsWith('RIFF')) return true; // AVI
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return true; // Matroska/WebM
  if (head.length >= 4 && (head.readUInt32BE(0) === 0x000001ba || head.readUInt32BE(0) === 0x000001b3)) return true; // MPEG-PS
  if (head.length >= 4 && (head.readUInt32BE(0) === 0x00000001 || (head.readUInt32BE(0) & 0xffffff00) === 0x00000100)) return true; // H.264/H.265 elementary
  if (head[0] === 0x47 && (head.length < 189 || head[188] === 0x47)) return true; // MPEG-TS
  if (ascii.startsWith('FLV')) return true;
  if (head.length >= 4 && head.readUInt32BE(0) === 0x3026b275) return true; // ASF/WMV
  if (ascii.startsWith('DHAV')) return true; // Dahua .dav
  return false;
}

const decoderSets = new Map<string, Promise<Set<string>>>();

/** Names of the codecs this ffprobe build can decode (cached per binary). */
export function decodableCodecs(ffprobePath: string): Promise<Set<string>> {
  let p = decoderSets.get(ffprobePath);
  if (!p) {
    // An ffprobe that cannot list its codecs just skips this check (probing itself will say what is wrong).
    p = runCollect('ffprobe', ffprobePath, ['-codecs'], { maxStdout: 8 << 20 })
      .then((r) => (r.code === 0 ? parseDecodableCodecs(r.stdout) : new Set<string>()), () => new Set<string>());
    decoderSets.set(ffprobePath, p);
  }
  return p;
}

/** Parses `ffprobe -codecs`: lines like " DEV.LS h264  H.264 ..." where the first flag D means "can decode". */
export function parseDecodableCodecs(listing: string): Set<string> {
  const out = new Set<string>();
  for (const line of listing.split('\n')) {
    const m = /^ ([D.])[E.][VASDT.][I.][L.][S.] (\w[\w.-]*)\s/.exec(line);
    if (m && m[1] === 'D') out.add(m[2]);
  }
  return out;
}

function probeJson(ffprobePath: string, file: string): Promise<{ code: number | null; stdout: string; stderrTail: string[] }> {
  return runCollect('ffprobe', ffprobePath, ['-v', 'error', '-protocol_whitelist', 'file', '-print_format', 'json',
    '-show_format', '-show_streams', '-i', fileUrl(file)], { file, timeoutMs: 120_000 });
}

function readHead(file: string, n: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks the file is a readable, non-empty regular file; throws the VideoError that says why not. */
export function checkReadableFile(file: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new VideoError(file, 'no such file');
    if (code === 'EACCES' || code === 'EPERM') throw new VideoError(file, 'unreadable (permission denied)');
    if (code === 'ENAMETOOLONG') throw new VideoError(file, 'path too long for this system');
    throw new VideoError(file, `unreadable (${(e as Error).message})`);
  }
  if (st.isDirectory()) throw new VideoError(file, 'not a file (directory)');
  if (!st.isFile()) throw new VideoError(file, 'not a regular file');
  if (st.size === 0) throw new VideoError(file, 'empty file (0 bytes)');
  try {
    fs.closeSync(fs.openSync(file, 'r'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new VideoError(file, 'unreadable (permission denied)');
    throw new VideoError(file, `unreadable (${(e as Error).message})`);
  }
  return st;
}

/**
 * The reason ffmpeg/ffprobe could not read `file`, for the user. Checks the file itself first (gone,
 * empty, unreadable), then whether it even starts like a video container: ffmpeg picks a demuxer by
 * extension, so a text file named .mp4 otherwise comes back as "moov atom not found".
 * `decodedBefore`: the file already probed fine, so unparseable data means damage.
 */
export function explainFailure(file: string, logLines: readonly string[], decodedBefore: boolean): string {
  try {
    checkReadableFile(file);
  } catch (e) {
    if (e instanceof VideoError) return e.reason;
    throw e;
  }
  const known = reasonFromFfmpegLog(logLines, file, decodedBefore);
  if (known && !known.startsWith('not a video') && !known.startsWith('truncated or corrupt')) return known;
  let head: Buffer = Buffer.alloc(0);
  try {
    head = readHead(file, 256);
  } catch {
    /* checked readable just above; a race here only loses the sniff */
  }
  if (!decodedBefore && !looksLikeContainer(head)) {
    return isMostlyText(head) ? 'not a video (text file)' : 'not a video (unrecognized data)';
  }
  if (known) return known;
  const last = logLines.length ? cleanLogLine(logLines[logLines.length - 1], file) : '';
  return `truncated or corrupt (${last || 'unreadable container'})`;
}

/** Probes a video file with ffprobe. Throws VideoError with a user-facing reason for unusable files. */
export async function probeVideo(file: string, ffprobePath: string): Promise<VideoProbe> {
  checkReadableFile(file);
  // ffprobe's log is only ever a diagnosis of why the file is unusable; the data is the JSON on stdout.
  const { code, stdout, stderrTail: logLines } = await probeJson(ffprobePath, file);
  let parsed: FfprobeOutput | null = null;
  try {
    parsed = JSON.parse(stdout) as FfprobeOutput;
  } catch {
    parsed = null;
  }
  if (code !== 0 || !parsed || !parsed.format) {
    throw new VideoError(file, explainFailure(file, logLines, false));
  }
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) throw new VideoError(file, 'no video stream');
  const formatName = parsed.format.format_name ?? '';
  if (STILL_IMAGE_FORMATS.test(formatName)) throw new VideoError(file, 'not a video (still image)');

  const codec = video.codec_name && video.codec_name !== 'none' && video.codec_name !== 'unknown'
    ? video.codec_name
    : (video.codec_tag_string && !/^\[/.test(video.codec_tag_string) ? video.codec_tag_string : 'unknown');
  const decoders = await decodableCodecs(ffprobePath);
  if (codec === 'unknown' || video.codec_name === 'unknown' || video.codec_name === 'none' || !video.codec_name
      || (decoders.size > 0 && !decoders.has(video.codec_name))) {
    throw new VideoError(file, `unsupported codec '${codec}' (no decoder)`);
  }
  const storedW = video.width ?? 0;
  const storedH = video.height ?? 0;
  if (storedW <= 0 || storedH <= 0) throw new VideoError(file, 'truncated or corrupt (no picture size)');
  const rotation = rotationOf(video);
  const quarter = rotation === 90 || rotation === 270;

  const durationCandidates = [video.duration, parsed.format.duration].map((d) => Number(d));
  const durationS = durationCandidates.find((d) => Number.isFinite(d) && d > 0) ?? 0;
  const fps = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  const creationTime = parseCreationTime(parsed.format.tags?.creation_time) ?? parseCreationTime(video.tags?.creation_time);

  return {
    durationS,
    fps,
    width: quarter ? storedH : storedW,
    height: quarter ? storedW : storedH,
    codec,
    rotation,
    creationTime,
    raw: parsed,
  };
}

function isMostlyText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let printable = 0;
  for (const b of head) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128) printable++;
  return printable / head.length > 0.95 && !head.includes(0);
}
