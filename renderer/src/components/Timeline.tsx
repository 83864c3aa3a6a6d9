// Where and when the described person appears: one row per camera, one bar per matching sighting
// (its start–end span, brighter for better scores, a tick at the representative frame). Cameras with
// a known clock share one corrected wall-clock axis; each camera without one has its own axis of time
// into its footage (unrelated recordings never share a 0:00). Overlapping
// sightings of one camera stack in lanes so each stays clickable.
import type { SearchHit, VideoInfo } from '../../../electron/common/contract';
import { clock, dayOf, hitWallClockMs, score, timeOfDay, utcOffset } from '../format';

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

interface Axis { key: string; title: string; cams: string[]; hits: SearchHit[]; pos(h: SearchHit, t: number): number; label(x: number): string; lo: number; hi: number }

export function Timeline({ hits, videos, selected, onOpen }: TimelineProps) {
  if (hits.length === 0) return null;
  const cameraOf = (h: SearchHit) => h.camera || videos.get(h.videoId)?.fileName || `video ${h.videoId}`;
  const hasClock = (h: SearchHit) => hitWallClockMs(h, videos.get(h.videoId)) !== null;
  const cams = [...new Set(hits.map(cameraOf))].sort();
  // A camera is on the shared wall-clock axis only when every one of its hits has a known clock;
  // a camera without one gets its own axis of time into its footage — never a shared 0:00.
  const wallCams = cams.filter((c) => hits.filter((h) => cameraOf(h) === c).every(hasClock));
  const axes: Axis[] = [];
  if (wallCams.length) {
    const hs = hits.filter((h) => wallCams.includes(cameraOf(h)));
    const pos = (h: SearchHit, t: number) => hitWallClockMs(h, videos.get(h.videoId), t)! / 1000;
    const lo = Math.min(...hs.map((h) => pos(h, h.start)));
    const hi = Math.max(...hs.map((h) => pos(h, h.end)));
    const sameDay = dayOf(lo * 1000) === dayOf(hi * 1000);
    axes.push({ key: 'wall', cams: wallCams, hits: hs, pos, lo, hi, label: (x) => timeOfDay(x * 1000),
      title: `wall clock${sameDay ? `, ${dayOf(lo * 1000)}` : ''} (UTC${utcOffset(lo * 1000)})` });
  }
  for (const c of cams.filter((x) => !wallCams.includes(x))) {
    const hs = hits.filter((h) => cameraOf(h) === c);
    const hi = Math.max(...hs.map((h) => h.end), ...hs.map((h) => videos.get(h.videoId)?.durationS ?? 0));
    axes.push({ key: `cam:${c}`, cams: [c], hits: hs, pos: (_h, t) => t, lo: 0, hi, label: (x) => clock(Math.max(0, x), 0),
      title: `${c}: no clock — time into its footage (set a clock correction in the Library)` });
  }
  const best = Math.max(...hits.map((h) => h.score));
  const worst = Math.min(...hits.map((h) => h.score));

  return (
    <figure className="timeline" aria-label="Timeline of sightings per camera">
      <figcaption className="muted small">Where and when · brighter = better match</figcaption>
      {axes.map((ax) => {
        const pad = Math.max(0.5, (ax.hi - ax.lo) * 0.02);
        const lo = ax.lo - pad;
        const hi = ax.hi + pad;
        const pct = (x: number) => ((x - lo) / (hi - lo)) * 100;
        const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
        const raw = ax.hits.map((h) => ({ hit: h, a: ax.pos(h, h.start), b: ax.pos(h, h.end), at: ax.pos(h, h.time) }));
        return (
          <div key={ax.key} className="tl-axis-group" data-testid="timeline-axis" data-axis={ax.key === 'wall' ? 'wall' : 'footage'}>
            <div className="muted small tl-axis-title">{ax.title}</div>
            {ax.cams.map((cam) => {
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
                          title={`${cam} · ${ax.label(m.a)}–${ax.label(m.b)} · score ${score(m.hit.score)}`}
                          aria-label={`Open sighting at ${ax.label(m.at)} on ${cam}, score ${score(m.hit.score)}`}
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
                {ticks.map((x, i) => <span key={i} className="tl-tick" style={{ left: `${pct(x)}%` }}>{ax.label(x)}</span>)}
              </div>
            </div>
          </div>
        );
      })}
    </figure>
  );
}
