// One ranked sighting in the results grid.
import { REJECT_REASONS, type RejectReason, type SearchHit, type VideoInfo } from '../../../electron/common/contract';
import { mediaSrc } from '../api';
import { clock, dateTime, duration, hitWallClockMs, score } from '../format';

export interface HitCardProps {
  hit: SearchHit;
  rank: number;
  video: VideoInfo | undefined;
  selected: boolean;
  onOpen(): void;
  onSimilar(): void;
  /** This person in every video (ReID), with the follow timeline. */
  onSamePerson(): void;
  /** Selected for a bulk action (bookmark). */
  checked: boolean;
  onCheck(checked: boolean): void;
  /** Set a result aside (or restore it with null). */
  onReject(reason: RejectReason | null): void;
}

export function HitCard({ hit, rank, video, selected, onOpen, onSimilar, onSamePerson, checked, onCheck, onReject }: HitCardProps) {
  const camera = hit.camera || video?.fileName || `video ${hit.videoId}`;
  return (
    <li className={`hit${selected ? ' selected' : ''}${hit.rejected ? ' rejected' : ''}`} data-testid="hit" data-sighting={hit.sighting}>
      <label className="hit-check"><input type="checkbox" checked={checked} onChange={(e) => onCheck(e.target.checked)} aria-label={`Select sighting ${rank}`} /></label>
      <button type="button" className="hit-open" onClick={onOpen} aria-label={`Open sighting ${rank} on ${camera} at ${clock(hit.time)}`}>
        {hit.thumbnail
          ? <img src={mediaSrc(hit.thumbnail)} alt={`Sighting ${rank}: crop of the person`} loading="lazy" draggable={false} />
          : <span className="no-thumb muted small">no crop stored</span>}
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
      <div className="row hit-actions">
        <button type="button" className="ghost small hit-similar" onClick={onSimilar} aria-label={`More like sighting ${rank}`}>More like this</button>
        <button type="button" className="ghost small hit-same-person" onClick={onSamePerson} aria-label={`Same person as sighting ${rank}`}>Same person</button>
        {hit.rejected
          ? <button type="button" className="ghost small" onClick={() => onReject(null)} aria-label={`Restore sighting ${rank}`}>Restore ({hit.rejected})</button>
          : REJECT_REASONS.map((r) => <button key={r} type="button" className="ghost small" onClick={() => onReject(r)} aria-label={`Mark sighting ${rank} ${r}`}>{r === 'not a person' ? 'Not a person' : 'Not relevant'}</button>)}
      </div>
    </li>
  );
}
