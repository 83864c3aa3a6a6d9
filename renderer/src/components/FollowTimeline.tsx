// "Same person": the follow timeline — the confident ReID matches of one person across cameras, in
// corrected wall-clock order, with the gap between one sighting and the next and each change of camera.
import type { FollowStep, SearchHit, VideoInfo } from '../../../electron/common/contract';
import { mediaSrc } from '../api';
import { dateTime, duration, score } from '../format';

export interface FollowTimelineProps {
  follow: FollowStep[];
  /** Hits by sighting id (the steps' thumbnails and times). */
  hits: ReadonlyMap<number, SearchHit>;
  videos: ReadonlyMap<number, VideoInfo>;
  /** The sighting asked about. */
  origin: number;
  onOpen(hit: SearchHit): void;
}

export function FollowTimeline({ follow, hits, videos, origin, onOpen }: FollowTimelineProps) {
  if (follow.length === 0) return <p className="muted">No confident match of this person elsewhere in the case.</p>;
  const cameras = new Set(follow.map((f) => f.camera || `video ${f.videoId}`)).size;
  return (
    <section className="follow" aria-label="Follow timeline">
      <h3>Follow: {follow.length} sighting{follow.length === 1 ? '' : 's'} on {cameras} camera{cameras === 1 ? '' : 's'}, in wall-clock order</h3>
      <ol className="follow-steps">
        {follow.map((f, i) => {
          const hit = hits.get(f.sighting);
          const camera = f.camera || videos.get(f.videoId)?.fileName || `video ${f.videoId}`;
          return (
            <li key={f.sighting} className={`follow-step${f.sighting === origin ? ' origin' : ''}`} data-testid="follow-step" data-sighting={f.sighting}>
              {i > 0 && (
                <div className={`follow-gap${f.cameraChanged ? ' camera-change' : ''}`} data-testid="follow-gap">
                  {f.gapS === null ? 'gap unknown (clock not set)' : f.gapS < 0 ? `overlaps the previous by ${duration(-f.gapS)}` : `${duration(f.gapS)} later`}
                  {f.cameraChanged ? ` · to ${camera}` : ''}
                </div>
              )}
              <button type="button" className="ghost follow-open" disabled={!hit} onClick={() => hit && onOpen(hit)} aria-label={`Open sighting ID ${f.sighting} on ${camera}`}>
                {hit && <img src={mediaSrc(hit.thumbnail)} alt="" draggable={false} />}
                <span className="follow-meta">
                  <strong>{camera}</strong>
                  <span className="mono small">{f.wallClock ? dateTime(Date.parse(f.wallClock)) : 'clock unknown'}</span>
                  <span className="muted small">ID {f.sighting} · {f.sighting === origin ? 'asked about' : `ReID ${score(f.score)}`}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
