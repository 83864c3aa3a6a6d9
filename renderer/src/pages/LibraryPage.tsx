// The case's footage: import (paths, dialog, drag-and-drop), indexing progress with ETA and
// per-file errors, camera names and clock corrections.
import { useState, type DragEvent } from 'react';
import type { ImportReport, ProgressEvent, VideoInfo } from '../../../electron/common/contract';
import { api, errorText } from '../api';
import { ProgressBar } from '../components/ProgressBar';
import { TeamProgress } from '../components/TeamProgress';
import { bytes, clock, dateTime, duration, parseIsoInput, toIsoInput, wallClockMs } from '../format';
import { progressKey } from '../useCase';

export interface LibraryProps {
  videos: VideoInfo[];
  progress: Record<string, ProgressEvent>;
  onChanged(): void;
  /** A team case: its whole-case progress (workers index it; footage is imported from the command line) instead of the import form. */
  team?: boolean;
}

export function LibraryPage(props: LibraryProps) {
  return props.team
    ? <div className="page library-page"><TeamProgress /><VideoList {...props} /></div>
    : <FileLibrary {...props} />;
}

function FileLibrary({ videos, progress, onChanged }: LibraryProps) {
  const [paths, setPaths] = useState('');
  const [fps, setFps] = useState('');
  // The engine queues import jobs and answers each when its videos are indexed; several may run.
  const [running, setRunning] = useState(0);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const importPaths = async (list: string[]) => {
    const clean = list.map((p) => p.trim()).filter(Boolean);
    if (!api || clean.length === 0) return;
    setRunning((n) => n + 1);
    setError(null);
    try {
      const f = Number(fps);
      const job = api.importPaths({ paths: clean, fps: fps.trim() && Number.isFinite(f) && f > 0 ? f : undefined });
      setPaths('');
      // Videos show up in the list (via progress events) long before the job's report arrives.
      window.setTimeout(onChanged, 300);
      setReport(await job);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setRunning((n) => n - 1);
      onChanged();
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = [...e.dataTransfer.files].map((f) => api?.pathForFile?.(f) ?? '').filter(Boolean);
    if (dropped.length === 0) {
      setError('Could not read the paths of the dropped files; type or paste them instead.');
      return;
    }
    void importPaths(dropped);
  };

  // Pending imports known only by path (before hashing gives them an id).
  // Only while a job runs: a job that died leaves no final event behind.
  // Once a file is in the list its row shows the progress instead.
  const pendingPaths = running === 0 ? [] : Object.values(progress).filter((p) => p.videoId === null && p.kind === 'import'
    && p.phase !== 'done' && p.phase !== 'failed' && !videos.some((v) => v.path === p.path));
  // The whole import (several files index at once): one bar with its ETA while a job runs.
  const whole = running === 0 ? undefined : Object.values(progress).find((p) => p.kind === 'case' && p.phase === 'indexing');

  return (
    <div className="page library-page">
      <section
        className={`card dropzone${dragging ? ' dragging' : ''}`}
        aria-label="Import footage"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <h2>Import footage</h2>
        <p className="muted small">Drop video files or folders here, or enter paths (one per line). Folders are searched recursively. Originals are never modified.</p>
        <form className="import-form" onSubmit={(e) => { e.preventDefault(); void importPaths(paths.split('\n')); }}>
          <textarea value={paths} onChange={(e) => setPaths(e.target.value)} rows={2} placeholder="/footage/cam3/2024-05-01.mp4" aria-label="Paths to import" />
          <div className="row">
            <label className="inline">Sampling (frames/s)
              <input type="number" min={0.1} max={30} step={0.1} value={fps} onChange={(e) => setFps(e.target.value)} placeholder="default" aria-label="Sampling rate in frames per second" className="narrow" />
            </label>
            {api?.pickPaths && <button type="button" onClick={async () => { const p = await api!.pickPaths!({ kind: 'files' }); if (p.length) void importPaths(p); }}>Choose files…</button>}
            {api?.pickPaths && <button type="button" onClick={async () => { const p = await api!.pickPaths!({ kind: 'folder' }); if (p.length) void importPaths(p); }}>Choose folder…</button>}
            <button type="submit" className="primary" disabled={!paths.trim()}>Import</button>
            {running > 0 && <span className="live small" role="status">{running} import job{running === 1 ? '' : 's'} running…</span>}
          </div>
        </form>
        {report && (
          <div className="small" role="status" data-testid="import-report">
            Last import: indexed {report.indexed.length} video{report.indexed.length === 1 ? '' : 's'}
            {report.duplicates.length > 0 && <> · {report.duplicates.length} already in the case</>}
            {report.failed.length > 0 && <> · <span className="bad">{report.failed.length} failed</span></>}
            {report.failed.length > 0 && <ul className="failures">{report.failed.map((f) => <li key={f.path}><span className="mono">{f.path}</span>: {f.reason}</li>)}</ul>}
          </div>
        )}
        {error && <div className="error" role="alert" data-testid="import-error">{error}</div>}
        {whole && (
          <div className="pending small" data-testid="import-progress">
            All files — {Math.round(whole.fraction * 100)}%{whole.etaS != null ? ` · ${duration(whole.etaS)} left` : ''}
            <ProgressBar fraction={whole.fraction} label="Import of all files" />
          </div>
        )}
        {pendingPaths.map((p) => (
          <div key={p.path} className="pending small"><span className="mono">{p.path}</span> — {p.phase}<ProgressBar fraction={p.fraction} label={`Import of ${p.path}`} /></div>
        ))}
      </section>

      <VideoList videos={videos} progress={progress} onChanged={onChanged} />
    </div>
  );
}

/** The case's videos: status, camera names, clock corrections, relinking (a case file's or a team case's). */
function VideoList({ videos, progress, onChanged }: LibraryProps) {
  return (
    <section className="card" aria-label="Videos in this case">
      <h2>Videos <span className="muted small">({videos.length})</span></h2>
      {videos.length === 0 ? <p className="muted">No footage yet.</p> : (
        <div className="table-scroll"><table className="videos">
          <thead>
            <tr><th>File</th><th>Camera</th><th>Recorded</th><th>Status</th><th>Sightings</th><th>Clock correction (true start, ISO 8601 with time zone)</th></tr>
          </thead>
          <tbody>
            {videos.map((v) => <VideoRow key={v.id} video={v} event={progress[progressKey({ videoId: v.id, path: v.path })]} onChanged={onChanged} />)}
          </tbody>
        </table></div>
      )}
    </section>
  );
}

function playbackText(p: VideoInfo['playback']): string {
  switch (p.state) {
    case 'native': return 'plays as it is';
    case 'ready': return `playable copy ${p.proxySizeBytes !== null ? bytes(p.proxySizeBytes) : ''} (${p.reason})`;
    case 'failed': return `no playable copy: ${p.error ?? ''}`;
    default: return `playable copy being made (${p.reason})`;
  }
}

function VideoRow({ video: v, event, onChanged }: { video: VideoInfo; event: ProgressEvent | undefined; onChanged(): void }) {
  const [camera, setCamera] = useState(v.camera);
  const [start, setStart] = useState(toIsoInput(v.trueStartTime));
  const [relinkPath, setRelinkPath] = useState('');
  const [relinking, setRelinking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = event && (v.status === 'indexing' || v.status === 'queued') ? event : null;
  const fraction = live ? live.fraction : v.progress;

  const saveCamera = async () => {
    if (!api || camera === v.camera) return;
    try { await api.setCamera(v.id, camera.trim()); setError(null); onChanged(); } catch (e) { setError(errorText(e)); }
  };
  const relink = async () => {
    if (!api || !relinkPath.trim()) return;
    try { await api.relinkVideo(v.id, relinkPath.trim()); setError(null); setRelinking(false); onChanged(); } catch (e) { setError(errorText(e)); }
  };
  const saveClock = async (value: string | null) => {
    if (!api) return;
    try { await api.setClockCorrection(v.id, value); setError(null); onChanged(); } catch (e) { setError(errorText(e)); }
  };

  return (
    <tr data-testid="video-row" data-status={v.status}>
      <td>
        <div title={v.path}>{v.fileName}</div>
        <div className="muted small">{clock(v.durationS, 0)} · {v.width}×{v.height} · {v.fps ? v.fps.toFixed(v.fps % 1 ? 2 : 0) : '?'} fps · {bytes(v.sizeBytes)}</div>
        <div className="muted small" data-testid="video-playback" data-state={v.playback.state}>{playbackText(v.playback)}</div>
        {relinking ? (
          <form className="row" onSubmit={(e) => { e.preventDefault(); void relink(); }}>
            <input value={relinkPath} onChange={(e) => setRelinkPath(e.target.value)} placeholder="/new/place/of/the/file" aria-label={`New path of ${v.fileName}`} />
            <button type="submit" className="small" aria-label={`Relink ${v.fileName}`}>Relink</button>
          </form>
        ) : <button type="button" className="ghost small" onClick={() => setRelinking(true)} aria-label={`Relink moved file ${v.fileName}`}>Moved? Relink…</button>}
      </td>
      <td>
        <input value={camera} onChange={(e) => setCamera(e.target.value)} onBlur={() => void saveCamera()} onKeyDown={(e) => { if (e.key === 'Enter') (e.target as HTMLInputElement).blur(); }} aria-label={`Camera name for ${v.fileName}`} placeholder="Camera name" maxLength={200} />
      </td>
      <td className="small">
        <div>{dateTime(wallClockMs(v, 0))}</div>
        <div className="muted">{v.trueStartTime ? 'corrected' : v.creationTime ? 'from file' : ''}</div>
      </td>
      <td className="status-cell">
        <span className={`badge status-${v.status}`} data-testid="video-status">{v.status}</span>
        {(v.status === 'indexing' || v.status === 'queued') && (
          <>
            <ProgressBar fraction={fraction} label={`Indexing ${v.fileName}`} />
            <div className="muted small">{Math.round(fraction * 100)}%{live?.etaS != null ? ` · ${duration(live.etaS)} left` : ''}</div>
          </>
        )}
        {v.status === 'failed' && <div className="bad small" role="alert">{v.error ?? 'indexing failed'}</div>}
      </td>
      <td>{v.status === 'done' ? v.sightingCount : '–'}</td>
      <td>
        <div className="row">
          <input className="mono" style={{ minWidth: '17em' }} value={start} onChange={(e) => setStart(e.target.value)} placeholder="2024-05-01T14:03:00+01:00" aria-label={`True start time of ${v.fileName}`} />
          <button type="button" className="small" onClick={() => { const r = parseIsoInput(start); if ('error' in r) setError(r.error); else void saveClock(r.iso); }} disabled={!start.trim()} aria-label={`Set true start time of ${v.fileName}`}>Set</button>
          {v.trueStartTime && <button type="button" className="ghost small" onClick={() => { setStart(''); void saveClock(null); }} aria-label={`Clear clock correction of ${v.fileName}`}>Clear</button>}
        </div>
        {error && <div className="bad small" role="alert">{error}</div>}
      </td>
    </tr>
  );
}
