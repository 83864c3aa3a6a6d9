// Where and when the described person appears: one row per camera, one mark per matching sighting
// (its start–end span), on a shared corrected wall-clock axis when every video has a clock, else
// on time-into-footage.
import type { SearchHit, VideoInfo } from '../../../electron/engine/contract';
import { clock, dateTime, hitWallClockMs, score } from '../format';

export interface TimelineProps {
  hits: SearchHit[];
  videos: Map<number, VideoInfo>;
  selected: number | null;
  onOpen(hit: SearchHit): void;
}

export function Timeline({ hits, videos, selected, onOpen }: TimelineProps) {
  if (hits.length === 0) return null;
  const wall = hits.every((h) => hitWallClockMs(h, videos.get(h.videoId), h.start) !== null);
  const span = (h: SearchHit): [number, number] => wall
    ? [hitWallClockMs(h, videos.get(h.videoId), h.start)! / 1000, hitWallClockMs(h, videos.get(h.videoId), h.end)! / 1000]
    : [h.start, h.end];
  const spans = hits.map(span);
  let lo = Math.min(...spans.map((s) => s[0]));
  let hi = Math.max(...spans.map((s) => s[1]));
  if (!wall) {
    lo = 0;
    hi = Math.max(hi, ...hits.map((h) => videos.get(h.videoId)?.durationS ?? 0));
  }
  const pad = Math.max(1, (hi - lo) * 0.02);
  lo -= wall ? pad : 0;
  hi += pad;
  const pct = (x: number) => ((x - lo) / (hi - lo)) * 100;
  const label = (x: number) => (wall ? dateTime(x * 1000).slice(11) : clock(x, 0));
  const cameras = [...new Set(hits.map((h) => h.camera || videos.get(h.videoId)?.fileName || `video ${h.videoId}`))].sort();
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  const best = Math.max(...hits.map((h) => h.score));
  const worst = Math.min(...hits.map((h) => h.score));

  return (
    <figure className="timeline" aria-label="Timeline of sightings per camera">
      <figcaption className="muted small">
        Timeline per camera · {wall ? `corrected wall clock${dateTime(lo * 1000).slice(0, 10) === dateTime(hi * 1000).slice(0, 10) ? `, ${dateTime(lo * 1000).slice(0, 10)}` : ''}` : 'time into footage (set clock corrections for wall-clock time)'}
      </figcaption>
      {cameras.map((cam) => (
        <div className="tl-row" key={cam}>
          <div className="tl-cam" title={cam}>{cam}</div>
          <div className="tl-track">
            {hits.map((h, i) => {
              const name = h.camera || videos.get(h.videoId)?.fileName || `video ${h.videoId}`;
              if (name !== cam) return null;
              const [a, b] = spans[i];
              const strength = best > worst ? (h.score - worst) / (best - worst) : 1;
              return (
                <button
                  type="button"
                  key={h.sighting}
                  className={`tl-mark${selected === h.sighting ? ' selected' : ''}`}
                  style={{ left: `${pct(a)}%`, width: `max(6px, ${pct(b) - pct(a)}%)`, opacity: 0.45 + 0.55 * strength }}
                  title={`${cam} · ${label(a)}–${label(b)} · score ${score(h.score)}`}
                  aria-label={`Open sighting at ${label(a)} on ${cam}, score ${score(h.score)}`}
                  onClick={() => onOpen(h)}
                />
              );
            })}
          </div>
        </div>
      ))}
      <div className="tl-row tl-axis" aria-hidden="true">
        <div className="tl-cam" />
        <div className="tl-track">
          {ticks.map((x, i) => <span key={i} className="tl-tick" style={{ left: `${pct(x)}%` }}>{label(x)}</span>)}
        </div>
      </div>
    </figure>
  );
}
