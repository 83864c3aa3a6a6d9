// Engine settings (ffmpeg, sampling rate, execution provider) and what is actually in use.
import { useEffect, useState } from 'react';
import { EXECUTION_PROVIDERS, IVT_CHOSEN_BY_TEXT, LIMITS, type EngineStatus, type Settings, type SigningKeyInfo } from '../../../electron/common/contract';
import { api, errorText } from '../api';
import { bytes } from '../format';

export function SettingsPage({ status, onSaved }: { status: EngineStatus | null; onSaved(): void }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [key, setKey] = useState<SigningKeyInfo | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);

  useEffect(() => { void api?.getSettings().then(setSettings, (e) => setError(errorText(e))); }, []);
  useEffect(() => { void api?.getSigningKey().then(setKey, (e) => setKeyError(errorText(e))); }, []);

  const save = async () => {
    if (!api || !settings) return;
    setError(null);
    try {
      // Only what the UI may change: programs to run are chosen in a native dialog (pickExecutable).
      setSettings(await api.setSettings({ sampleFps: settings.sampleFps, executionProvider: settings.executionProvider, proxyDir: settings.proxyDir.trim(), motionGating: settings.motionGating, detectionTiles: settings.detectionTiles, coarsePass: settings.coarsePass, cores: settings.cores }));
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
                {EXECUTION_PROVIDERS.map((p) => <option key={p} value={p}>{p === 'auto' ? 'auto (best available)' : p}</option>)}
              </select>
            </label>
            <label>Sampling rate (frames per second, for new imports)
              <input type="number" min={0.1} max={LIMITS.maxFps} step={0.1} value={settings.sampleFps} onChange={(e) => set('sampleFps', Number(e.target.value))} aria-label="Sampling rate" />
            </label>
            <label className="inline check">
              <input type="checkbox" checked={settings.motionGating} onChange={(e) => set('motionGating', e.target.checked)} aria-label="Motion gating" />
              Skip the detector on frames where nothing moved (faster on quiet footage; for new imports)
            </label>
            <label className="inline check">
              <input type="checkbox" checked={settings.detectionTiles} onChange={(e) => set('detectionTiles', e.target.checked)} aria-label="Find distant people" />
              Find distant people in high-resolution video (tiles; the detector runs about 3× longer on such footage; for new imports)
            </label>
            <label className="inline check">
              <input type="checkbox" checked={settings.coarsePass} onChange={(e) => set('coarsePass', e.target.checked)} aria-label="Coarse pass" />
              Look at keyframes first and skip quiet stretches (faster on long recordings; for new imports)
            </label>
            <label>Cores to use for indexing (0: all; several files are indexed at once within them)
              <input type="number" min={0} max={LIMITS.maxCores} step={1} value={settings.cores} onChange={(e) => set('cores', Math.max(0, Math.floor(Number(e.target.value) || 0)))} aria-label="Cores to use" />
            </label>
            <label>Folder for playable copies of AVI/MJPEG/HEVC footage (empty: beside the case, &lt;case&gt;.proxies)
              <input className="mono" value={settings.proxyDir} onChange={(e) => set('proxyDir', e.target.value)} placeholder="beside the case file" aria-label="Proxy folder" />
            </label>
            {(['ffmpeg', 'ffprobe'] as const).map((tool) => (
              <ToolRow key={tool} tool={tool} value={tool === 'ffmpeg' ? settings.ffmpegPath : settings.ffprobePath}
                onChanged={(s) => { setSettings(s); setMessage('Saved.'); onSaved(); }} onError={setError} />
            ))}
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
            {status.models.map((m) => <FactRow key={m.id} name={m.kind === 'ivt' ? 'Text–image model' : 'Person detector'} value={`${m.id} ${m.version} · ${m.provider}${m.chosenBy ? ` · ${IVT_CHOSEN_BY_TEXT[m.chosenBy]}` : ''}`} />)}
            <dt>ffmpeg</dt><dd className="mono">{status.ffmpeg.ffmpeg} <span className="muted">({status.ffmpeg.source})</span></dd>
            <dt>ffprobe</dt><dd className="mono">{status.ffmpeg.ffprobe}</dd>
            <dt>Videos</dt><dd>{status.videos.done}/{status.videos.total} indexed{status.videos.failed ? `, ${status.videos.failed} failed` : ''}</dd>
            <dt>Sightings</dt><dd>{status.sightings}</dd>
            <dt>Embeddings</dt><dd data-testid="embeddings">{status.embeddings}</dd>
            <dt>Playable copies</dt><dd data-testid="proxies">{status.playback.filter((p) => p.state === 'ready').length} made, {bytes(status.playback.reduce((a, p) => a + (p.state === 'ready' ? p.proxySizeBytes ?? 0 : 0), 0))}{status.playback.some((p) => p.state === 'pending' || p.state === 'making') ? ' · some being made' : ''}</dd>
          </dl>
        )}
      </section>
      <section className="card" aria-label="Evidence signing key">
        <h2>Evidence signing key</h2>
        <p className="muted small">Every exported bundle is signed with this installation's Ed25519 key. Give recipients this fingerprint
          by another channel (e-mail, phone, a signed statement) so they can check a bundle came from here: <span className="mono">sightline verify &lt;bundle&gt; --fingerprint &lt;fingerprint&gt;</span>.</p>
        {keyError && <div className="error" role="alert">{keyError}</div>}
        {key && (
          <dl className="facts">
            <dt>Fingerprint (SHA-256)</dt><dd className="mono" data-testid="key-fingerprint">{key.fingerprint}</dd>
            <dt>Private key</dt><dd className="mono">{key.privateKeyFile}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}

/**
 * A program the engine runs: shown here, changed only through the desktop app's native file dialog
 * (never typed into the page) or, for the CLI, the SIGHTLINE_FFMPEG / SIGHTLINE_FFPROBE variables.
 */
function ToolRow({ tool, value, onChanged, onError }: { tool: 'ffmpeg' | 'ffprobe'; value: string; onChanged(s: Settings): void; onError(e: string): void }) {
  const pick = async (reset: boolean) => {
    try {
      const s = await api?.pickExecutable?.({ tool, reset });
      if (s) onChanged(s);
    } catch (e) { onError(errorText(e)); }
  };
  return (
    <div className="row">
      <span>{tool} program: <span className="mono" aria-label={`${tool} path`}>{value || 'automatic'}</span></span>
      {api?.pickExecutable
        ? <><button type="button" className="small" onClick={() => void pick(false)}>Choose…</button>{value && <button type="button" className="ghost small" onClick={() => void pick(true)}>Automatic</button>}</>
        : <span className="muted small"> (set in the desktop app, or SIGHTLINE_{tool.toUpperCase()} for the CLI)</span>}
    </div>
  );
}

function FactRow({ name, value }: { name: string; value: string }) {
  return <><dt>{name}</dt><dd>{value}</dd></>;
}
