// The source video at a sighting: seeks to the representative frame, draws the person's box over the
// whole sighting (interpolated between detections, common/track.ts; optional trail), an enlarged crop
// of the person beside the picture, frame step, ±5 s, speed, bookmark, similar. Plays the video's
// playable file: the original, or its H.264 proxy (same timestamps) for files Chromium cannot play.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { BBox, SearchHit, TrackPoint, VideoInfo } from '../../../electron/common/contract';
import { videoUrl } from '../../../electron/common/media';
import { boxAt } from '../../../electron/common/track';
import { api, errorText, mediaSrc } from '../api';
import { bytes, clock, dateTime, hitWallClockMs, score } from '../format';
import { TrackStrip } from './TrackStrip';

export interface PlayerHandle {
  togglePlay(): void;
  stepFrames(n: number): void;
  seekBy(seconds: number): void;
  focusNote(): void;
}

export interface PlayerProps {
  hit: SearchHit;
  video: VideoInfo | undefined;
  query: string | null;
  /** Where this sighting is in the list it was opened from. */
  position: { index: number; total: number };
  onStep(delta: number): void;
  onClose(): void;
  onBookmarked(): void;
  onSimilar(hit: SearchHit): void;
  onSamePerson(hit: SearchHit): void;
}

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

/** Where the picture sits inside the <video> box (object-fit: contain letterboxes it). */
function pictureRect(el: HTMLVideoElement, srcW: number, srcH: number) {
  const boxW = el.clientWidth;
  const boxH = el.clientHeight;
  const s = Math.min(boxW / srcW, boxH / srcH);
  return { scale: s, left: (boxW - srcW * s) / 2, top: (boxH - srcH * s) / 2 };
}

function proxyNote(pb: NonNullable<VideoInfo['playback']>): string {
  if (pb.state === 'failed') return `No playable copy could be made (${pb.reason}): ${pb.error ?? 'unknown error'}`;
  return `A playable copy is being made (${pb.reason}); until it is ready the original is shown, which this player may not be able to play.`;
}

export const Player = forwardRef<PlayerHandle, PlayerProps>(function Player({ hit, video, query, position, onStep, onClose, onBookmarked, onSimilar, onSamePerson }, ref) {
  const el = useRef<HTMLVideoElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const [t, setT] = useState(hit.time);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [layout, setLayout] = useState<{ left: number; top: number; scale: number } | null>(null);
  const [track, setTrack] = useState<TrackPoint[]>([]);
  const [trail, setTrail] = useState(false);
  const cropRef = useRef<HTMLCanvasElement>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const fps = video?.fps && video.fps > 0 ? video.fps : 25;

  // Boxes are in source display pixels. A proxy has the same pixels (plus at most one padding column/row),
  // so only a picture of another size (non-square pixels) is rescaled.
  const place = useCallback(() => {
    const v = el.current;
    if (!v) return;
    const srcW = v.videoWidth || video?.width || 0;
    const srcH = v.videoHeight || video?.height || 0;
    if (!srcW || !srcH) { setLayout(null); return; }
    const r = pictureRect(v, srcW, srcH);
    const k = video?.width && Math.abs(srcW - video.width) > 1 ? srcW / video.width : 1;
    setLayout({ left: r.left, top: r.top, scale: r.scale * k });
  }, [video?.width, video?.height]);

  // The sighting's detections, for the moving box.
  useEffect(() => {
    let live = true;
    setTrack([]);
    void api?.getTrack(hit.sighting).then((tr) => { if (live) setTrack(tr.points); }, () => undefined);
    return () => { live = false; };
  }, [hit.sighting]);

  // While playing, follow every painted frame (timeupdate fires only a few times a second).
  useEffect(() => {
    if (!playing) return;
    let id = 0;
    const tick = () => { setT(el.current?.currentTime ?? 0); id = requestAnimationFrame(tick); };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [playing]);

  const points: TrackPoint[] = track.length ? track : [{ t: hit.time, bbox: hit.bbox }];
  const current: BBox | null = boxAt(points, t) ?? (Math.abs(t - hit.time) <= Math.max(0.5, 2 / fps) && !track.length ? hit.bbox : null);

  // The enlarged crop of the person, cut from the frame on screen.
  useEffect(() => {
    const c = cropRef.current;
    const v = el.current;
    const ctx = c?.getContext('2d');
    if (!c || !v || !ctx) return;
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, c.width, c.height);
    if (!current || v.readyState < 2) return;
    const k = video?.width && Math.abs(v.videoWidth - video.width) > 1 ? v.videoWidth / video.width : 1;
    const [x, y, w, h] = current.map((n) => n * k);
    const m = 0.15;
    const sx = Math.max(0, x - w * m), sy = Math.max(0, y - h * m);
    const sw = Math.min(v.videoWidth - sx, w * (1 + 2 * m)), sh = Math.min(v.videoHeight - sy, h * (1 + 2 * m));
    if (sw <= 1 || sh <= 1) return;
    const s = Math.min(c.width / sw, c.height / sh);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(v, sx, sy, sw, sh, (c.width - sw * s) / 2, (c.height - sh * s) / 2, sw * s, sh * s);
  }, [current, t, video?.width]);

  useEffect(() => {
    const onResize = () => place();
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [place]);

  // A new hit in the same player: jump to it.
  useEffect(() => {
    const v = el.current;
    if (v && v.readyState >= 1) { v.currentTime = hit.time; place(); }
    setMessage(null);
  }, [hit.sighting, hit.time, place]);

  const seekTo = (s: number) => {
    const v = el.current;
    if (!v) return;
    v.currentTime = Math.max(0, Math.min(Number.isFinite(v.duration) ? v.duration : s, s));
  };

  useImperativeHandle(ref, () => ({
    togglePlay: () => {
      const v = el.current;
      if (!v) return;
      if (v.paused) void v.play().catch(() => undefined); else v.pause();
    },
    stepFrames: (n: number) => { el.current?.pause(); seekTo((el.current?.currentTime ?? 0) + n / fps); },
    seekBy: (s: number) => seekTo((el.current?.currentTime ?? 0) + s),
    focusNote: () => noteRef.current?.focus(),
  }));

  const addBookmark = async () => {
    if (!api) return;
    try {
      await api.addBookmark({ sightingId: hit.sighting, note: note.trim() || undefined, query: query ?? undefined, score: query ? hit.score : undefined });
      setNote('');
      setMessage('Bookmarked.');
      onBookmarked();
    } catch (e) {
      setMessage(`Could not bookmark: ${errorText(e)}`);
    }
  };

  const inSighting = t >= hit.start - 0.05 && t <= hit.end + 0.05;
  const pb = video?.playback;
  const src = mediaSrc(pb?.url ?? videoUrl(hit.videoId));
  const screen = (b: BBox) => layout && { left: layout.left + b[0] * layout.scale, top: layout.top + b[1] * layout.scale, width: b[2] * layout.scale, height: b[3] * layout.scale };
  const box = current && screen(current);
  const trailPath = trail && layout ? points.filter((p) => p.t <= t).map((p) => `${layout.left + (p.bbox[0] + p.bbox[2] / 2) * layout.scale},${layout.top + (p.bbox[1] + p.bbox[3]) * layout.scale}`) : [];
  const wall = hitWallClockMs(hit, video, t);

  return (
    <section className="player" aria-label="Player">
      <header className="player-head">
        <div>
          <h2>{hit.camera || video?.fileName || 'Video'}</h2>
          <div className="muted small">{video?.fileName ?? hit.video} · sighting ID {hit.sighting} · {clock(hit.start)}–{clock(hit.end)}{query ? ` · score ${score(hit.score)}` : ''}</div>
        </div>
        <div className="row">
          {position.total > 1 && (
            <>
              <button type="button" className="small" onClick={() => onStep(-1)} disabled={position.index <= 0} aria-label="Previous sighting (p)">‹ Prev</button>
              <span className="muted small" data-testid="player-position">{position.index + 1} / {position.total}</span>
              <button type="button" className="small" onClick={() => onStep(1)} disabled={position.index >= position.total - 1} aria-label="Next sighting (n)">Next ›</button>
            </>
          )}
          <button type="button" className="ghost" onClick={onClose} aria-label="Close player (Esc)">✕</button>
        </div>
      </header>
      <div className="player-stage">
        <video
          ref={el}
          src={src}
          data-playback={pb?.state ?? 'native'}
          preload="auto"
          aria-label="Source video"
          data-testid="player-video"
          onLoadedMetadata={() => { seekTo(hit.time); place(); }}
          onTimeUpdate={() => setT(el.current?.currentTime ?? 0)}
          onSeeked={() => setT(el.current?.currentTime ?? 0)}
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onResize={place}
          onError={() => setLoadError(el.current?.error?.message || 'The video could not be loaded (is the source file still there?)')}
        />
        {trailPath.length > 1 && (
          <svg className="trail" aria-hidden="true" data-testid="player-trail"><polyline points={trailPath.join(' ')} /></svg>
        )}
        {box && (
          <div
            className="bbox"
            style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
            data-testid="player-bbox"
            aria-hidden="true"
          />
        )}
        {loadError && <div className="error overlay-msg" role="alert">{loadError}{pb && pb.state !== 'native' && pb.state !== 'ready' ? ` — ${proxyNote(pb)}` : ''}</div>}
        <figure className="player-crop" aria-label="Enlarged crop of the person">
          <canvas ref={cropRef} width={160} height={320} data-testid="player-crop" />
          <figcaption className="muted small">{current ? 'person, enlarged' : 'outside the sighting'}</figcaption>
        </figure>
      </div>
      {pb && pb.state !== 'native' && (
        <div className={pb.state === 'failed' ? 'error small' : 'muted small'} role="status" data-testid="player-playback">
          {pb.state === 'ready' ? `Playing a playable copy (${pb.reason}; ${pb.proxySizeBytes !== null ? bytes(pb.proxySizeBytes) : ''}); same timestamps as the original, which is untouched.` : proxyNote(pb)}
        </div>
      )}
      <div className="player-time">
        <span className="mono" data-testid="player-time">{clock(t, 2)}</span>
        <span className="mono" data-testid="player-wallclock">{dateTime(wall)}</span>
        <input
          type="range" min={0} max={video?.durationS || hit.end + 5} step={1 / fps} value={t}
          onChange={(e) => seekTo(Number(e.target.value))} aria-label="Position in video" className="scrub"
        />
      </div>
      <div className="player-controls" role="toolbar" aria-label="Playback">
        <button type="button" onClick={() => seekTo((el.current?.currentTime ?? 0) - 5)} aria-label="Back 5 seconds (j)">−5 s</button>
        <button type="button" onClick={() => { el.current?.pause(); seekTo((el.current?.currentTime ?? 0) - 1 / fps); }} aria-label="Previous frame (←)">◀︎ frame</button>
        <button type="button" className="primary" onClick={() => { const v = el.current; if (v) { if (v.paused) void v.play().catch(() => undefined); else v.pause(); } }} aria-label={playing ? 'Pause (space)' : 'Play (space)'}>{playing ? '❚❚ Pause' : '▶ Play'}</button>
        <button type="button" onClick={() => { el.current?.pause(); seekTo((el.current?.currentTime ?? 0) + 1 / fps); }} aria-label="Next frame (→)">frame ▶︎</button>
        <button type="button" onClick={() => seekTo((el.current?.currentTime ?? 0) + 5)} aria-label="Forward 5 seconds (l)">+5 s</button>
        <button type="button" onClick={() => seekTo(hit.time)} aria-label="Jump to the sighting frame">To sighting</button>
        <label className="inline"><input type="checkbox" checked={trail} onChange={(e) => setTrail(e.target.checked)} aria-label="Show trail" /> Trail</label>
        <label className="inline">
          Speed
          <select value={speed} aria-label="Playback speed" onChange={(e) => { const s = Number(e.target.value); setSpeed(s); if (el.current) el.current.playbackRate = s; }}>
            {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
        </label>
      </div>
      <form className="player-bookmark" onSubmit={(e) => { e.preventDefault(); void addBookmark(); }}>
        <input ref={noteRef} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note for this bookmark (b)" aria-label="Bookmark note" maxLength={10000} />
        <button type="submit" className="primary" aria-label="Add bookmark">★ Bookmark</button>
        <button type="button" onClick={() => onSimilar(hit)} aria-label="Find more like this">More like this</button>
        <button type="button" onClick={() => onSamePerson(hit)} aria-label="Find this person in every video">Same person</button>
      </form>
      <div className="muted small">
        The box follows the person between detections ({track.length || 1} detection{track.length === 1 ? '' : 's'}, {clock(hit.start, 2)}–{clock(hit.end, 2)}); sighting frame {clock(hit.time, 2)}{inSighting ? '' : ' · outside this sighting'}.
      </div>
      <TrackStrip sightingId={hit.sighting} onSeek={(s) => { el.current?.pause(); seekTo(s); }} />
      {message && <div className="muted small" role="status">{message}</div>}
    </section>
  );
});
