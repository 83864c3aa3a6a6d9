// Describe the person, get ranked sightings: filters, unknown-word warning, timeline, results grid,
// "more like this", "same person" with its follow timeline.
import { forwardRef, Fragment, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { FILTER_COLOURS, LIMITS, type AttributeFilter, type FollowStep, type RejectReason, type SearchHit, type SearchResult, type VideoInfo } from '../../../electron/common/contract';
import { api, errorText } from '../api';
import { FollowTimeline } from '../components/FollowTimeline';
import { HitCard } from '../components/HitCard';
import { Timeline } from '../components/Timeline';
import { parseClock, parseIsoInput, wallClockMs } from '../format';

export interface SearchHandle {
  focus(): void;
  similar(hit: SearchHit): void;
  samePerson(hit: SearchHit): void;
}

export interface SearchProps {
  videos: VideoInfo[];
  selected: number | null;
  /** `list`: the results in rank order, for stepping to the next/previous sighting in the player. */
  onOpen(hit: SearchHit, query: string | null, list: SearchHit[]): void;
  onBookmarked?(): void;
  /** A team case: everything a case file does but importing (said in a note: workers index it). */
  team?: boolean;
}

interface Shown {
  result: SearchResult;
  query: string | null;
  similarTo: SearchHit | null;
  /** "Same person": the sighting asked about and the follow timeline. */
  samePerson?: { of: SearchHit; follow: FollowStep[] };
}

/** What the next page is asked with: the same request, further on. */
type More = (offset: number) => Promise<SearchResult>;

export const SearchPage = forwardRef<SearchHandle, SearchProps>(function SearchPage({ videos, selected, onOpen, onBookmarked, team = false }, ref) {
  const input = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [cameras, setCameras] = useState<string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [minScore, setMinScore] = useState('');
  const [top, setTop] = useState(String(LIMITS.pageSize));
  const [showRejected, setShowRejected] = useState(false);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const more = useRef<More | null>(null);
  const [attrs, setAttrs] = useState<AttributeFilter>({});
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const byId = useMemo(() => new Map(videos.map((v) => [v.id, v])), [videos]);
  const allCameras = useMemo(() => [...new Set(videos.map((v) => v.camera).filter(Boolean))].sort(), [videos]);
  const indexed = videos.filter((v) => v.status === 'done').length;

  // From/To in wall clock when every video's clock is known (ISO 8601 with zone), else time into footage.
  const allClocked = videos.length > 0 && videos.every((v) => wallClockMs(v, 0) !== null);
  const wallOf = (text: string, which: string): string | undefined => {
    if (!text.trim() || !/\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
    const r = parseIsoInput(text);
    if ('error' in r) throw new Error(`${which}: ${r.error}`);
    return r.iso;
  };

  const filters = () => {
    const fromWall = wallOf(from, 'From');
    const toWall = wallOf(to, 'To');
    const f = fromWall ? null : parseClock(from);
    const t = toWall ? null : parseClock(to);
    const m = minScore.trim() === '' ? undefined : Number(minScore);
    const n = Number(top);
    if ((from.trim() && f === null && !fromWall) || (to.trim() && t === null && !toWall)) throw new Error('Time range: a wall-clock time (2024-05-01T14:03:00+01:00) or time into footage (seconds or m:ss, e.g. 1:30)');
    if (m !== undefined && !(m >= -1 && m <= 1)) throw new Error('Minimum score must be between -1 and 1');
    return {
      cameras: cameras.length ? cameras : undefined,
      from: f ?? undefined,
      to: t ?? undefined,
      fromWall,
      toWall,
      minScore: m,
      top: Number.isInteger(n) && n > 0 ? Math.min(n, 10000) : undefined,
    };
  };

  const run = async (f: () => Promise<Shown>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    setChecked(new Set());
    try { setShown(await f()); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };

  const search = () => run(async () => {
    const { from: fr, to: t, ...rest } = filters();
    const clicked = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined)) as AttributeFilter;
    const req = { text: text.trim(), ...rest, from: fr, to: t, includeRejected: showRejected || undefined, ...(Object.keys(clicked).length ? { attributes: clicked } : {}) };
    more.current = (offset) => api!.search({ ...req, offset });
    const result = await api!.search(req);
    return { result, query: text.trim(), similarTo: null };
  });

  const similar = (hit: SearchHit) => run(async () => {
    const { cameras: c, minScore: m, top: n } = filters();
    const req = { sightingId: hit.sighting, cameras: c, minScore: m, top: n, includeRejected: showRejected || undefined };
    more.current = (offset) => api!.searchSimilar({ ...req, offset });
    const result = await api!.searchSimilar(req);
    return { result, query: null, similarTo: hit };
  });

  const samePerson = (hit: SearchHit) => run(async () => {
    const { cameras: c, minScore: m, top: n } = filters();
    const req = { sightingId: hit.sighting, cameras: c, minScore: m, top: n, includeRejected: showRejected || undefined };
    more.current = (offset) => api!.searchSamePerson({ ...req, offset });
    const { follow, ...result } = await api!.searchSamePerson(req);
    return { result, query: null, similarTo: null, samePerson: { of: hit, follow } };
  });

  /** The next page, appended (results past the first page: paging, not a bigger top-K). */
  const loadMore = async () => {
    if (!shown || shown.result.nextOffset === null || !more.current) return;
    setBusy(true);
    try {
      const next = await more.current(shown.result.nextOffset);
      setShown({ ...shown, result: { ...next, hits: [...shown.result.hits, ...next.hits] } });
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };

  const reject = async (hit: SearchHit, reason: RejectReason | null) => {
    try {
      await api!.rejectSighting(hit.sighting, reason);
      if (!shown) return;
      // Hidden at once unless rejected results are shown; then marked.
      const hits = reason && !showRejected ? shown.result.hits.filter((h) => h.sighting !== hit.sighting) : shown.result.hits.map((h) => (h.sighting === hit.sighting ? { ...h, rejected: reason } : h));
      setShown({ ...shown, result: { ...shown.result, hits } });
      setNotice(reason ? `Sighting ID ${hit.sighting} marked "${reason}" (audited); hidden from later searches.` : `Sighting ID ${hit.sighting} restored.`);
    } catch (e) { setError(errorText(e)); }
  };

  const bookmarkSelected = async () => {
    if (!shown) return;
    const chosen = shown.result.hits.filter((h) => checked.has(h.sighting));
    let done = 0;
    try {
      for (const h of chosen) {
        await api!.addBookmark({ sightingId: h.sighting, query: shown.query ?? undefined, score: shown.query ? h.score : undefined });
        done++;
      }
      setChecked(new Set());
      setNotice(`Bookmarked ${done} sighting${done === 1 ? '' : 's'}.`);
      onBookmarked?.();
    } catch (e) { setError(`Bookmarked ${done} of ${chosen.length}: ${errorText(e)}`); }
  };

  useImperativeHandle(ref, () => ({ focus: () => { input.current?.focus(); input.current?.select(); }, similar: (h) => void similar(h), samePerson: (h) => void samePerson(h) }));

  const hits = shown?.result.hits ?? [];
  return (
    <div className="page search-page">
      {team && <p className="card muted small" role="note" data-testid="team-note">Team case: search, same person, review, playback and bookmarks over every worker's results. Footage is imported and indexed from the command line.</p>}
      <form className="card search-form" aria-label="Search" onSubmit={(e) => { e.preventDefault(); if (text.trim()) void search(); }}>
        <div className="row search-row">
          <textarea
            id="search-text" ref={input} rows={2} value={text} onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); if (text.trim()) void search(); } }}
            placeholder="Describe the person: woman in a red jacket with a black backpack   ( / )"
            aria-label="Description of the person" maxLength={1000}
          />
          <button type="submit" className="primary big" disabled={busy || !text.trim()} aria-label="Search">{busy ? 'Searching…' : 'Search'}</button>
        </div>
        <div className="filters row" role="group" aria-label="Filters">
          <fieldset className="cameras">
            <legend>Cameras</legend>
            {allCameras.length === 0 ? <span className="muted small">all (name cameras in Library)</span> : allCameras.map((c) => (
              <label key={c} className="chip">
                <input type="checkbox" checked={cameras.includes(c)} onChange={(e) => setCameras((cs) => e.target.checked ? [...cs, c] : cs.filter((x) => x !== c))} aria-label={`Only camera ${c}`} />
                {c}
              </label>
            ))}
          </fieldset>
          <label className="inline">From<input className={allClocked ? 'mono' : 'narrow'} value={from} onChange={(e) => setFrom(e.target.value)} placeholder={allClocked ? '2024-05-01T14:00:00+01:00' : '0:00'} aria-label={allClocked ? 'From (wall clock, ISO 8601, or m:ss into footage)' : 'From time into footage (m:ss)'} /></label>
          <label className="inline">To<input className={allClocked ? 'mono' : 'narrow'} value={to} onChange={(e) => setTo(e.target.value)} placeholder={allClocked ? '2024-05-01T14:30:00+01:00' : 'end'} aria-label={allClocked ? 'To (wall clock, ISO 8601, or m:ss into footage)' : 'To time into footage (m:ss)'} /></label>
          <label className="inline">Min score<input className="narrow" type="number" step={0.01} min={-1} max={1} value={minScore} onChange={(e) => setMinScore(e.target.value)} placeholder="any" aria-label="Minimum score" /></label>
          <label className="inline">Gender<select value={attrs.gender ?? ''} onChange={(e) => setAttrs((a) => ({ ...a, gender: (e.target.value || undefined) as AttributeFilter['gender'] }))} aria-label="Gender filter">
            <option value="">any</option><option value="male">man</option><option value="female">woman</option></select></label>
          <label className="inline">Top colour<select value={attrs.upperColour ?? ''} onChange={(e) => setAttrs((a) => ({ ...a, upperColour: (e.target.value || undefined) as AttributeFilter['upperColour'] }))} aria-label="Upper garment colour filter">
            <option value="">any</option>{FILTER_COLOURS.map((c) => <option key={c} value={c}>{c}</option>)}</select></label>
          <label className="inline">Bottom colour<select value={attrs.lowerColour ?? ''} onChange={(e) => setAttrs((a) => ({ ...a, lowerColour: (e.target.value || undefined) as AttributeFilter['lowerColour'] }))} aria-label="Lower garment colour filter">
            <option value="">any</option>{FILTER_COLOURS.map((c) => <option key={c} value={c}>{c}</option>)}</select></label>
          <label className="inline">Bag<select value={attrs.bag === undefined ? '' : attrs.bag ? 'yes' : 'no'} onChange={(e) => setAttrs((a) => ({ ...a, bag: e.target.value === '' ? undefined : e.target.value === 'yes' }))} aria-label="Bag filter">
            <option value="">any</option><option value="yes">yes</option><option value="no">no</option></select></label>
          <label className="inline">Hat<select value={attrs.hat === undefined ? '' : attrs.hat ? 'yes' : 'no'} onChange={(e) => setAttrs((a) => ({ ...a, hat: e.target.value === '' ? undefined : e.target.value === 'yes' }))} aria-label="Hat filter">
            <option value="">any</option><option value="yes">yes</option><option value="no">no</option></select></label>
          <label className="inline">Per page<input className="narrow" type="number" min={1} max={10000} value={top} onChange={(e) => setTop(e.target.value)} aria-label="Results per page" /></label>
          <label className="inline"><input type="checkbox" checked={showRejected} onChange={(e) => setShowRejected(e.target.checked)} aria-label="Show rejected results" /> Show rejected</label>
        </div>
      </form>

      {error && <div className="error" role="alert">{error}</div>}
      {indexed === 0 && !shown && <p className="muted">Import footage in the Library; search covers every video once it is indexed.</p>}

      {shown && (
        <section aria-label="Results" className="results">
          {shown.result.interpretation && (
            <div className="interpretation" data-testid="interpretation">
              Understood: <strong>{shown.result.interpretation.summary.split('; ')[0]}</strong>
              {shown.result.interpretation.mapped.filter((m) => m.to).length > 0 && <> · {shown.result.interpretation.mapped.filter((m) => m.to).map((m) => `${m.from} → ${m.to}`).join(', ')}</>}
              {shown.result.interpretation.notUnderstood.length > 0 && <> · not understood: {shown.result.interpretation.notUnderstood.map((w) => <em key={w}>{w} </em>)}</>}
            </div>
          )}
          {shown.result.noStrongMatch && hits.length > 0 && (
            <div className="warning" role="status" data-testid="no-strong-match">
              No strong match in this case: nobody both stands out and agrees with the description. The results below are possible or weak matches.
            </div>
          )}
          {shown.result.unknownWords.length > 0 && (
            <div className="warning" role="alert" data-testid="unknown-words">
              The model does not know these words, so they were ignored: {shown.result.unknownWords.map((w) => <q key={w}>{w}</q>)}. Try simpler colours and clothing words.
            </div>
          )}
          {shown.result.query?.noKnownWords && (
            <div className="warning" role="alert" data-testid="no-known-words">
              The model knows none of these words: this ranking does not follow the description.
            </div>
          )}
          {!!shown.result.query?.droppedTokens && (
            <div className="warning" role="alert" data-testid="query-cut">
              The description is longer than the model reads ({shown.result.query.maxTokens} tokens): its last {shown.result.query.droppedTokens} token(s) were ignored.
            </div>
          )}
          <div className="results-head">
            <h2>
              {shown.samePerson ? <>Same person as sighting ID {shown.samePerson.of.sighting}</> : shown.similarTo ? <>More like sighting ID {shown.similarTo.sighting}</> : <>“{shown.query}”</>}
              <span className="muted small"> · {hits.length} sighting{hits.length === 1 ? '' : 's'} · {shown.result.tookMs.toFixed(0)} ms · {shown.result.modelId}</span>
            </h2>
            {(shown.similarTo || shown.samePerson) && <button type="button" className="ghost small" onClick={() => void search()} disabled={!text.trim()}>Back to description</button>}
          </div>
          {hits.length > 0 && (
            <div className="row bulk" role="toolbar" aria-label="Selected results">
              <button type="button" className="small" onClick={() => setChecked(new Set(hits.map((h) => h.sighting)))}>Select all</button>
              <button type="button" className="small" onClick={() => setChecked(new Set())} disabled={checked.size === 0}>Select none</button>
              <button type="button" className="primary small" onClick={() => void bookmarkSelected()} disabled={checked.size === 0} aria-label="Bookmark selected">★ Bookmark selected ({checked.size})</button>
            </div>
          )}
          {notice && <div className="muted small" role="status" data-testid="search-notice">{notice}</div>}
          {shown.samePerson && (
            <FollowTimeline follow={shown.samePerson.follow} videos={byId} origin={shown.samePerson.of.sighting}
              hits={new Map([shown.samePerson.of, ...hits].map((h) => [h.sighting, h]))} onOpen={(h) => onOpen(h, null, hits)} />
          )}
          {hits.length === 0 ? <p className="muted">No sightings match. Lower the minimum score or widen the filters.</p> : (
            <>
              <Timeline hits={hits} videos={byId} selected={selected} onOpen={(h) => onOpen(h, shown.query, hits)} />
              <ol className="hits" aria-label="Sightings, best match first">
                {hits.map((h, i) => (
                  <Fragment key={h.sighting}>
                  {h.confidence === 'weak' && hits[i - 1]?.confidence !== 'weak' && <li className="weak-divider" data-testid="weak-divider" aria-label="Weak matches follow">Weak matches</li>}
                  <HitCard key={h.sighting} hit={h} rank={i + 1} video={byId.get(h.videoId)} selected={selected === h.sighting}
                    onOpen={() => onOpen(h, shown.query, hits)} onSimilar={() => void similar(h)} onSamePerson={() => void samePerson(h)}
                    checked={checked.has(h.sighting)} onCheck={(on) => setChecked((c) => { const n = new Set(c); if (on) n.add(h.sighting); else n.delete(h.sighting); return n; })}
                    onReject={(r) => void reject(h, r)} />
                  </Fragment>
                ))}
              </ol>
              {shown.result.nextOffset !== null && (
                <button type="button" onClick={() => void loadMore()} disabled={busy} aria-label="Load more results">Load more (from #{shown.result.nextOffset + 1})</button>
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
});
