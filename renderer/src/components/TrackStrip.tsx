// A sighting's track as a strip of crops (evenly spread detections, cut by the engine from the frames
// they were found in): one glance shows whether the sighting holds one person. Clicking a crop seeks there.
import { useEffect, useState } from 'react';
import type { TrackStrip as Strip } from '../../../electron/common/contract';
import { api, errorText } from '../api';
import { clock } from '../format';

export function TrackStrip({ sightingId, onSeek }: { sightingId: number; onSeek(t: number): void }) {
  const [strip, setStrip] = useState<Strip | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setStrip(null);
    setError(null);
    void api?.getTrackStrip(sightingId).then((s) => { if (live) setStrip(s); }, (e) => { if (live) setError(errorText(e)); });
    return () => { live = false; };
  }, [sightingId]);
  if (error) return <div className="muted small" role="status">Track strip unavailable: {error}</div>;
  if (!strip) return <div className="muted small" data-testid="track-strip-loading">Cutting the track strip…</div>;
  return (
    <figure className="track-strip" aria-label="Track of this sighting" data-testid="track-strip">
      <ol>
        {strip.crops.map((c) => (
          <li key={c.t}>
            <button type="button" className="ghost" onClick={() => onSeek(c.t)} aria-label={`Seek to detection at ${clock(c.t, 1)}`}>
              <img src={c.image} alt={`The person at ${clock(c.t, 1)}`} data-testid="track-crop" draggable={false} />
              <span className="mono small">{clock(c.t, 1)}</span>
            </button>
          </li>
        ))}
      </ol>
      <figcaption className="muted small">
        {strip.crops.length < strip.detections ? `${strip.crops.length} of ${strip.detections} detections, evenly spread` : `all ${strip.detections} detection${strip.detections === 1 ? '' : 's'}`}: each should show the same person.
      </figcaption>
    </figure>
  );
}
