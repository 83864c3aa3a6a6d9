// Bookmarked sightings: notes, open, remove, and export of the evidence bundle.
import { useState } from 'react';
import { LIMITS, type Bookmark, type CaseInfo, type ExportReport, type ProgressEvent, type SearchHit, type VideoInfo } from '../../../electron/common/contract';
import { api, errorText, mediaSrc } from '../api';
import { ProgressBar } from '../components/ProgressBar';
import { clock, dateTime, hitWallClockMs, score } from '../format';

export interface BookmarksProps {
  caseInfo: CaseInfo | null;
  bookmarks: Bookmark[];
  videos: VideoInfo[];
  progress: Record<string, ProgressEvent>;
  onOpen(hit: SearchHit, query: string | null, list: SearchHit[]): void;
  onChanged(): void;
}

export function BookmarksPage({ caseInfo, bookmarks, videos, progress, onOpen, onChanged }: BookmarksProps) {
  const [outDir, setOutDir] = useState('');
  const [padS, setPadS] = useState(String(LIMITS.defaultPadS));
  const [report, setReport] = useState<ExportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const byId = new Map(videos.map((v) => [v.id, v]));
  // A case file exports beside itself by default; a team case has no folder of its own, so one is asked for.
  const defaultDir = caseInfo?.evidenceDir ?? '';
  // Only while our export call runs: the last event of a finished export need not say 'done'.
  const exporting = busy ? Object.values(progress).filter((p) => p.kind === 'export' && p.phase !== 'done' && p.phase !== 'failed') : [];

  const exportAll = async () => {
    if (!api || !caseInfo) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const pad = Number(padS);
      setReport(await api.exportEvidence({ outDir: outDir.trim() || defaultDir, bookmarks: 'all', padS: Number.isFinite(pad) && pad >= 0 ? pad : undefined }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page bookmarks-page">
      <section className="card" aria-label="Bookmarks">
        <h2>Bookmarks <span className="muted small">({bookmarks.length})</span></h2>
        {bookmarks.length === 0 ? <p className="muted">Open a sighting and press “Bookmark” (or b) to keep it as evidence.</p> : (
          <ul className="bookmarks">
            {bookmarks.map((b) => <BookmarkRow key={b.id} bookmark={b} video={byId.get(b.hit.videoId)} onOpen={() => onOpen(b.hit, b.query, bookmarks.map((x) => x.hit))} onChanged={onChanged} />)}
          </ul>
        )}
      </section>
      <section className="card" aria-label="Export evidence">
        <h2>Export evidence</h2>
        <p className="muted small">Writes clips of every bookmarked sighting (with context), stills, a report and checksums into a new bundle folder.</p>
        <div className="row">
          <label className="inline grow">Folder
            <input value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder={defaultDir || 'folder for the bundle (required for a team case)'} aria-label="Export folder" />
          </label>
          {api?.pickPaths && <button type="button" onClick={async () => { const [p] = await api!.pickPaths!({ kind: 'folder' }); if (p) setOutDir(p); }}>Choose…</button>}
          <label className="inline">Context (s)<input className="narrow" type="number" min={0} max={LIMITS.maxPadS} value={padS} onChange={(e) => setPadS(e.target.value)} aria-label="Seconds of context before and after" /></label>
          <button type="button" className="primary" onClick={() => void exportAll()} disabled={busy || bookmarks.length === 0 || !(outDir.trim() || defaultDir)} aria-label="Export all bookmarks">{busy ? 'Exporting…' : 'Export all'}</button>
        </div>
        {exporting.map((p) => <div key={p.path} className="small">{p.path}<ProgressBar fraction={p.fraction} label={`Export ${p.path}`} /></div>)}
        {report && (
          <div className="small" role="status" data-testid="export-report">
            Exported {report.items} item{report.items === 1 ? '' : 's'} to <span className="mono">{report.bundleDir}</span>
            {report.refused.length > 0 && <ul className="failures">{report.refused.map((r) => <li key={r.bookmarkId}>Bookmark {r.bookmarkId}: {r.reason}</li>)}</ul>}
          </div>
        )}
        {error && <div className="error" role="alert">{error}</div>}
      </section>
    </div>
  );
}

function BookmarkRow({ bookmark: b, video, onOpen, onChanged }: { bookmark: Bookmark; video: VideoInfo | undefined; onOpen(): void; onChanged(): void }) {
  const [note, setNote] = useState(b.note);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (!api || note === b.note) return;
    try { await api.updateBookmark(b.id, note); onChanged(); } catch (e) { setError(errorText(e)); }
  };
  const remove = async () => {
    if (!api) return;
    try { await api.removeBookmark(b.id); onChanged(); } catch (e) { setError(errorText(e)); }
  };
  return (
    <li className="bookmark" data-testid="bookmark">
      <button type="button" className="thumb" onClick={onOpen} aria-label={`Open bookmarked sighting ${b.sightingId}`}>
        <img src={mediaSrc(b.hit.thumbnail)} alt={`Bookmarked sighting ${b.sightingId}`} draggable={false} />
      </button>
      <div className="bookmark-meta">
        <div><strong>{b.hit.camera || video?.fileName}</strong> <span className="mono small">{dateTime(hitWallClockMs(b.hit, video))}</span></div>
        <div className="muted small">at {clock(b.hit.time)}{b.query ? <> · “{b.query}” · score {score(b.score)}</> : null} · #{b.sightingId}</div>
        <input value={note} onChange={(e) => setNote(e.target.value)} onBlur={() => void save()} onKeyDown={(e) => { if (e.key === 'Enter') (e.target as HTMLInputElement).blur(); }} aria-label={`Note for bookmark ${b.id}`} placeholder="Add a note" data-testid="bookmark-note" />
        {error && <div className="bad small" role="alert">{error}</div>}
      </div>
      <button type="button" className="ghost danger small" onClick={() => void remove()} aria-label={`Remove bookmark ${b.id}`}>Remove</button>
    </li>
  );
}
