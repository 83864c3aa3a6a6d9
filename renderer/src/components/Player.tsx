// The source video at a sighting: seeks to the representative frame, overlays the person's box
// (scaled from source pixels to the displayed picture), frame step, ±5 s, speed, bookmark, similar.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { SearchHit, VideoInfo } from '../../../electron/common/contract';
import { videoUrl } from '../../../electron/common/media';
import { api, errorText, mediaSrc } from '../api';
import { clock, dateTime, hitWallClockMs, score } from '../format';

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
}

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

/** Where the picture sits inside the <video> box (object-fit: contain letterboxes it). */
function pictureRect(el: HTMLVideoElement, srcW: number, srcH: number) {
  const boxW = el.clientWidth;
  const boxH = el.clientHeight;
  const s = Math.min(boxW / srcW, boxH / srcH);
  return { scale: s, left: (boxW - srcW * s) / 2, top: (boxH - srcH * s) / 2 };
}

export const Player = forwardRef<PlayerHandle, PlayerProps>(function Player({ hit, video, query, position, onStep, onClose, onBookmarked, onSimilar }, ref) {
  const el = useRef<HTMLVideoElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const [t, setT] = useState(hit.time);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [box, setBox] = useState<{ left: number; top: number; width: number; height: number } | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const fps = video?.fps && video.fps > 0 ? video.fps : 25;

  const place = useCallback(() => {
    const v = el.current;
    if (!v) return;
    const srcW = v.videoWidth || video?.width || 0;
    const srcH = v.videoHeight || video?.height || 0;
    if (!srcW || !srcH) { setBox(null); return; }
    const r = pictureRect(v, srcW, srcH);
    const [x, y, w, h] = hit.bbox;
    setBox({ left: r.left + x * r.scale, top: r.top + y * r.scale, width: w * r.scale, height: h * r.scale });
  }, [hit.bbox, video?.width, video?.height]);

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

  // The box marks the representative frame only; near it, it is drawn solid.
  const nearSighting = Math.abs(t - hit.time) <= Math.max(0.5, 2 / fps);
  const inSighting = t >= hit.start - 0.05 && t <= hit.end + 0.05;
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
          src={mediaSrc(videoUrl(hit.videoId))}
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
        {box && nearSighting && (
          <div
            className="bbox"
            style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
            data-testid="player-bbox"
            aria-hidden="true"
          />
        )}
        {loadError && <div className="error overlay-msg" role="alert">{loadError}</div>}
      </div>
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
      </form>
      <div className="muted small">
        The box marks the person at the sighting frame ({clock(hit.time, 2)}){inSighting ? '' : ' · outside this sighting'}.
      </div>
      {message && <div className="muted small" role="status">{message}</div>}
    </section>
  );
});
