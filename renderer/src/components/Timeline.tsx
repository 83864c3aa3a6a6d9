// Where and when the described person appears: one row per camera, one bar per matching sighting
// (its start–end span, brighter for better scores, a tick at the representative frame), on a shared
// corrected wall-clock axis when every video has a clock, else on time-into-footage. Overlapping
// sightings of one camera stack in lanes so each stays clickable.
import type { SearchHit, VideoInfo } from '../../../electron/common/contract';
import { clock, dateTime, hitWallClockMs, score } from '../format';

export interface TimelineProps {
  hits: SearchHit[];
  videos: Map<number, VideoInfo>;
  selected: number | null;
  onOpen(hit: SearchHit): void;
}

const MAX_LANES = 5;
const LANE_PX = 12;

interface Mark { hit: SearchHit; a: number; b: number; at: number; lane: number }

/** Greedy interval packing: each mark goes in the first lane free at its start. */
function packLanes(marks: Omit<Mark, 'lane'>[], minGap: number): { marks: Mark[]; lanes: number } {
  const ends: number[] = [];
  const out: Mark[] = [];
  for (const m of [...marks].sort((x, y) => x.a - y.a)) {
    let lane = ends.findIndex((e) => e + minGap <= m.a);
    if (lane < 0) lane = ends.length < MAX_LANES ? ends.length : ends.indexOf(Math.min(...ends));
    ends[lane] = Math.max(ends[lane] ?? -Infinity, m.b);
    out.push({ ...m, lane });
  }
  return { marks: out, lanes: Math.max(1, ends.length) };
}

export function Timeline({ hits, videos, selected, onOpen }: TimelineProps) {
  if (hits.length === 0) return null;
  const wall = hits.every((h) => hitWallClockMs(h, videos.get(h.videoId)) !== null);
  const pos = (h: SearchHit, t: number) => (wall ? hitWallClockMs(h, videos.get(h.videoId), t)! / 1000 : t);
  const cameraOf = (h: SearchHit) => h.camera || videos.get(h.videoId)?.fileName || `video ${h.videoId}`;
  const raw = hits.map((h) => ({ hit: h, a: pos(h, h.start), b: pos(h, h.end), at: pos(h, h.time) }));
  let lo = Math.min(...raw.map((m) => m.a));
  let hi = Math.max(...raw.map((m) => m.b));
  if (!wall) {
    lo = 0;
    hi = Math.max(hi, ...hits.map((h) => videos.get(h.videoId)?.durationS ?? 0));
  }
  const pad = Math.max(0.5, (hi - lo) * 0.02);
  lo -= pad;
  hi += pad;
  const pct = (x: number) => ((x - lo) / (hi - lo)) * 100;
  const label = (x: number) => (wall ? dateTime(x * 1000).slice(11) : clock(Math.max(0, x), 0));
  const cameras = [...new Set(hits.map(cameraOf))].sort();
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  const best = Math.max(...hits.map((h) => h.score));
  const worst = Math.min(...hits.map((h) => h.score));
  const day = dateTime(lo * 1000).slice(0, 10);
  const sameDay = day === dateTime(hi * 1000).slice(0, 10);

  return (
    <figure className="timeline" aria-label="Timeline of sightings per camera">
      <figcaption className="muted small">
        Where and when · {wall ? `corrected wall clock${sameDay ? `, ${day}` : ''}` : 'time into footage (set clock corrections in the Library for wall-clock time)'} · brighter = better match
      </figcaption>
      {cameras.map((cam) => {
        const { marks, lanes } = packLanes(raw.filter((m) => cameraOf(m.hit) === cam), (hi - lo) * 0.004);
        return (
          <div className="tl-row" key={cam} style={{ height: lanes * LANE_PX + 8 }}>
            <div className="tl-cam" title={cam}>{cam}</div>
            <div className="tl-track" style={{ height: lanes * LANE_PX + 4 }}>
              {marks.map((m) => {
                const strength = best > worst ? (m.hit.score - worst) / (best - worst) : 1;
                const width = Math.max(0, pct(m.b) - pct(m.a));
                return (
                  <button
                    type="button"
                    key={m.hit.sighting}
                    className={`tl-mark${selected === m.hit.sighting ? ' selected' : ''}`}
                    style={{ left: `${pct(m.a)}%`, width: `max(8px, ${width}%)`, top: 2 + m.lane * LANE_PX, opacity: 0.35 + 0.65 * strength }}
                    title={`${cam} · ${label(m.a)}–${label(m.b)} · score ${score(m.hit.score)}`}
                    aria-label={`Open sighting at ${label(m.at)} on ${cam}, score ${score(m.hit.score)}`}
                    onClick={() => onOpen(m.hit)}
                  >
                    <span className="tl-at" style={{ left: width > 0 ? `${((m.at - m.a) / Math.max(1e-9, m.b - m.a)) * 100}%` : '50%' }} />
                  </button>
                );
              })}
            </div>
          </div>
        );
      })}
      <div className="tl-row tl-axis" aria-hidden="true">
        <div className="tl-cam" />
        <div className="tl-track">
          {ticks.map((x, i) => <span key={i} className="tl-tick" style={{ left: `${pct(x)}%` }}>{label(x)}</span>)}
        </div>
      </div>
    </figure>
  );
}
