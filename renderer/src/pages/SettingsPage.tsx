// Engine settings (ffmpeg, sampling rate, execution provider) and what is actually in use.
import { useEffect, useState } from 'react';
import type { EngineStatus, Settings } from '../../../electron/engine/contract';
import { api, errorText } from '../api';

const PROVIDERS: Settings['executionProvider'][] = ['auto', 'cuda', 'dml', 'coreml', 'cpu'];

export function SettingsPage({ status, onSaved }: { status: EngineStatus | null; onSaved(): void }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => { void api?.getSettings().then(setSettings, (e) => setError(errorText(e))); }, []);

  const save = async () => {
    if (!api || !settings) return;
    setError(null);
    try {
      setSettings(await api.setSettings({ ...settings, ffmpegPath: settings.ffmpegPath.trim(), ffprobePath: settings.ffprobePath.trim() }));
      setMessage('Saved.');
      onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => { setSettings((s) => (s ? { ...s, [k]: v } : s)); setMessage(null); };

  return (
    <div className="page settings-page two-col">
      <form className="card" aria-label="Settings" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <h2>Settings</h2>
        {!settings ? <p className="muted">Loading…</p> : (
          <>
            <label>Execution provider
              <select value={settings.executionProvider} onChange={(e) => set('executionProvider', e.target.value as Settings['executionProvider'])} aria-label="Execution provider">
                {PROVIDERS.map((p) => <option key={p} value={p}>{p === 'auto' ? 'auto (best available)' : p}</option>)}
              </select>
            </label>
            <label>Sampling rate (frames per second, for new imports)
              <input type="number" min={0.1} max={30} step={0.1} value={settings.sampleFps} onChange={(e) => set('sampleFps', Number(e.target.value))} aria-label="Sampling rate" />
            </label>
            <label>ffmpeg path (empty: automatic)
              <input value={settings.ffmpegPath} onChange={(e) => set('ffmpegPath', e.target.value)} placeholder="automatic" aria-label="ffmpeg path" />
            </label>
            <label>ffprobe path (empty: automatic)
              <input value={settings.ffprobePath} onChange={(e) => set('ffprobePath', e.target.value)} placeholder="automatic" aria-label="ffprobe path" />
            </label>
            <button type="submit" className="primary">Save settings</button>
            {message && <span className="muted small" role="status"> {message}</span>}
          </>
        )}
        {error && <div className="error" role="alert">{error}</div>}
      </form>
      <section className="card" aria-label="Engine status">
        <h2>In use</h2>
        {!status ? <p className="muted">…</p> : (
          <dl className="facts">
            <dt>Execution provider</dt><dd data-testid="execution-provider"><strong>{status.executionProvider === 'cpu' ? 'CPU' : `GPU (${status.executionProvider})`}</strong></dd>
            {status.models.map((m) => <FactRow key={m.id} name={m.kind === 'ivt' ? 'Text–image model' : 'Person detector'} value={`${m.id} ${m.version} · ${m.provider}`} />)}
            <dt>ffmpeg</dt><dd className="mono">{status.ffmpeg.ffmpeg} <span className="muted">({status.ffmpeg.source})</span></dd>
            <dt>ffprobe</dt><dd className="mono">{status.ffmpeg.ffprobe}</dd>
            <dt>Videos</dt><dd>{status.videos.done}/{status.videos.total} indexed{status.videos.failed ? `, ${status.videos.failed} failed` : ''}</dd>
            <dt>Sightings</dt><dd>{status.sightings}</dd>
            <dt>Embeddings</dt><dd>{status.embeddings}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}

function FactRow({ name, value }: { name: string; value: string }) {
  return <><dt>{name}</dt><dd>{value}</dd></>;
}
