// Create a new case file or open an existing one.
import { useState } from 'react';
import type { CaseInfo } from '../../../electron/common/contract';
import { api, errorText } from '../api';

export function CasePage({ current, onOpened }: { current: CaseInfo | null; onOpened(c: CaseInfo): void }) {
  const [path, setPath] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [investigator, setInvestigator] = useState('');
  const [title, setTitle] = useState('');
  const [openPath, setOpenPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (f: () => Promise<CaseInfo>) => {
    setBusy(true);
    setError(null);
    try { onOpened(await f()); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };

  return (
    <div className="page case-page">
      {current && (
        <section className="card" aria-label="Open case">
          <h2>Case {current.caseNumber}</h2>
          <dl className="facts">
            <dt>Title</dt><dd>{current.title || '—'}</dd>
            <dt>Investigator</dt><dd>{current.investigator}</dd>
            <dt>Case file</dt><dd className="mono">{current.path}</dd>
            <dt>Evidence folder</dt><dd className="mono">{current.evidenceDir}</dd>
            <dt>Created</dt><dd>{new Date(current.createdAt).toLocaleString()}</dd>
          </dl>
        </section>
      )}
      {!current && (
        <p className="muted intro">
          Create a case file for the investigation (or open one), import the CCTV footage, then describe the person you are looking for.
          Everything stays on this computer.
        </p>
      )}
      <div className="two-col">
        <form className="card" aria-label="New case" onSubmit={(e) => { e.preventDefault(); void run(() => api!.createCase({ path: path.trim(), caseNumber: caseNumber.trim(), investigator: investigator.trim(), title: title.trim() || undefined })); }}>
          <h2>New case</h2>
          <label>Case file
            <span className="row">
              <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="e.g. /cases/2024-0173/case.sightline" aria-label="Case file path" required />
              {api?.pickNewCaseFile && <button type="button" onClick={async () => { const p = await api!.pickNewCaseFile!(); if (p) setPath(p); }}>Choose…</button>}
            </span>
          </label>
          <label>Case number<input value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} placeholder="e.g. 2024-0173" aria-label="Case number" required maxLength={200} /></label>
          <label>Investigator<input value={investigator} onChange={(e) => setInvestigator(e.target.value)} placeholder="e.g. DC A. Jones" aria-label="Investigator name" required maxLength={200} /></label>
          <label>Title (optional)<input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Robbery, High Street" aria-label="Case title" maxLength={1000} /></label>
          <button type="submit" className="primary" disabled={busy}>Create case</button>
        </form>
        <form className="card" aria-label="Open existing case" onSubmit={(e) => { e.preventDefault(); void run(() => api!.openCase(openPath.trim())); }}>
          <h2>Open case</h2>
          <label>Case file
            <span className="row">
              <input value={openPath} onChange={(e) => setOpenPath(e.target.value)} placeholder="e.g. /cases/2024-0173/case.sightline" aria-label="Existing case file path" required />
              {api?.pickPaths && <button type="button" onClick={async () => { const [p] = await api!.pickPaths!({ kind: 'case' }); if (p) setOpenPath(p); }}>Choose…</button>}
            </span>
          </label>
          <button type="submit" disabled={busy}>Open case</button>
        </form>
      </div>
      {error && <div className="error" role="alert">{error}</div>}
    </div>
  );
}
