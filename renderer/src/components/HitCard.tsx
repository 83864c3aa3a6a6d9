// One ranked sighting in the results grid.
import type { SearchHit, VideoInfo } from '../../../electron/common/contract';
import { mediaSrc } from '../api';
import { clock, dateTime, duration, hitWallClockMs, score } from '../format';

export interface HitCardProps {
  hit: SearchHit;
  rank: number;
  video: VideoInfo | undefined;
  selected: boolean;
  onOpen(): void;
  onSimilar(): void;
}

export function HitCard({ hit, rank, video, selected, onOpen, onSimilar }: HitCardProps) {
  const camera = hit.camera || video?.fileName || `video ${hit.videoId}`;
  return (
    <li className={`hit${selected ? ' selected' : ''}`} data-testid="hit">
      <button type="button" className="hit-open" onClick={onOpen} aria-label={`Open sighting ${rank} on ${camera} at ${clock(hit.time)}`}>
        <img src={mediaSrc(hit.thumbnail)} alt={`Sighting ${rank}: crop of the person`} loading="lazy" draggable={false} />
        <span className="hit-rank">#{rank}</span>
        <span className="hit-score" title="Similarity to the description">{score(hit.score)}</span>
      </button>
      <div className="hit-meta">
        <div className="hit-camera" title={hit.video}>{camera}</div>
        <div className="mono small">{dateTime(hitWallClockMs(hit, video))}</div>
        <div className="muted small">at {clock(hit.time)} · {duration(hit.end - hit.start)}</div>
        {hit.confidence && <span className={`badge confidence-${hit.confidence}`} data-testid="confidence" title="How sure the search is: standing of the similarity in this case and agreement with the description">{hit.confidence}</span>}
        {!!hit.chips?.length && (
          <ul className="evidence-chips" aria-label="What the description said, checked against this person">
            {hit.chips.map((c) => (
              <li key={c.label} className={`chip ${c.ok ? 'ok' : 'no'}`} data-testid="evidence-chip">{c.label} {c.ok ? '✓' : '✗'}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="ghost small hit-similar" onClick={onSimilar} aria-label={`More like sighting ${rank}`}>More like this</button>
    </li>
  );
}
