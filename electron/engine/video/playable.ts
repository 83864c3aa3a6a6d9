// Whether Chromium (the app's renderer) can play a video file as it is, decided from the stored
// ffprobe metadata: the container and the codec of the first video stream (and its pixel format:
// Chromium decodes 8-bit 4:2:0 H.264 only). Anything else gets a playable proxy (video/proxy.ts).

/** What of ffprobe's JSON (-show_format -show_streams) the decision needs. */
interface ProbeJson {
  format?: { format_name?: string };
  streams?: { codec_type?: string; codec_name?: string; pix_fmt?: string; disposition?: { attached_pic?: number } }[];
}

// Containers Chromium demuxes: ISO-BMFF (mp4/mov) and WebM. ffprobe names mp4/mov "mov,mp4,m4a,3gp,3g2,mj2"
// and WebM "matroska,webm" (a Matroska file with WebM codecs plays; .mkv with H.264 does not in every build).
const MP4 = /(^|,)(mov|mp4)(,|$)/;
const WEBM = /(^|,)webm(,|$)/;
const MP4_CODECS = new Set(['h264', 'vp9', 'av1']);
const WEBM_CODECS = new Set(['vp8', 'vp9', 'av1']);
const PIX_FMTS = new Set(['yuv420p', 'yuvj420p']);

export interface Playability {
  native: boolean;
  /** Why a proxy is needed, in words ("avi container, msmpeg4v2 codec"); '' when native. */
  reason: string;
}

export function playability(probeJson: string | unknown): Playability {
  let probe: ProbeJson;
  try {
    probe = (typeof probeJson === 'string' ? JSON.parse(probeJson) : probeJson) as ProbeJson;
  } catch {
    return { native: false, reason: 'unreadable probe metadata' };
  }
  const format = probe?.format?.format_name ?? '';
  const video = (probe?.streams ?? []).find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const codec = video?.codec_name ?? 'unknown';
  const pix = video?.pix_fmt ?? '';
  // "matroska,webm" is WebM only when it holds WebM codecs.
  const container = MP4.test(format) ? 'mp4' : WEBM.test(format) ? (WEBM_CODECS.has(codec) ? 'webm' : 'matroska') : format.split(',')[0] || 'unknown';
  const codecOk = container === 'mp4' ? MP4_CODECS.has(codec) : container === 'webm' ? WEBM_CODECS.has(codec) : false;
  // VP9/AV1 profiles with other pixel formats do play; the 4:2:0 8-bit rule is H.264's.
  const pixOk = codec !== 'h264' || PIX_FMTS.has(pix);
  if (codecOk && pixOk) return { native: true, reason: '' };
  const parts = [`${container} container`, `${codec} codec`];
  if (codecOk && !pixOk) parts.push(`${pix} pixels`);
  return { native: false, reason: parts.join(', ') };
}
