// Create a new case file or open an existing one.
import { useEffect, useState } from 'react';
import type { CaseInfo } from '../../../electron/common/contract';
import { api, errorText } from '../api';

export function CasePage({ current, onOpened, onDetailsSaved }: { current: CaseInfo | null; onOpened(c: CaseInfo): void; onDetailsSaved(c: CaseInfo): void }) {
  const [path, setPath] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [investigator, setInvestigator] = useState('');
  const [title, setTitle] = useState('');
  const [openPath, setOpenPath] = useState('');
  // The team server's connection string lives only in this field until it is sent: never stored.
  const [server, setServer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (f: () => Promise<CaseInfo>) => {
    setBusy(true);
    setError(null);
    try { onOpened(await f()); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };

  return (
    <div className="page case-page">
      {current && (current.team ? <TeamCaseDetails current={current} /> : <CaseDetails current={current} onSaved={onDetailsSaved} />)}
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
        <form className="card" aria-label="Open team case" onSubmit={(e) => { e.preventDefault(); const conn = server; setServer(''); void run(() => api!.openTeamCase({ server: conn.trim() })); }}>
          <h2>Open team case…</h2>
          <p className="muted small">A case on a PostgreSQL team server, indexed by workers on several machines (see README, "Team server").
            The connection string is used to connect and never saved; your database role is named in the audit log.</p>
          <label>Server connection string
            <input type="password" autoComplete="off" value={server} onChange={(e) => setServer(e.target.value)} placeholder="postgres://you:password@server/case-db" aria-label="Team server connection string" required maxLength={2000} />
          </label>
          <button type="submit" disabled={busy}>Open team case</button>
        </form>
      </div>
      {error && <div className="error" role="alert">{error}</div>}
    </div>
  );
}

/** A team case: where it is, who this app acts as, and what it cannot do yet. */
function TeamCaseDetails({ current }: { current: CaseInfo }) {
  return (
    <section className="card" aria-label="Open case">
      <h2>Team case {current.caseNumber || '(no number)'}</h2>
      <dl className="facts">
        <dt>Server</dt><dd className="mono">{current.team!.server}</dd>
        <dt>You act as</dt><dd>{current.investigator} (database role, named in every audit entry)</dd>
        {current.title && <><dt>Title</dt><dd>{current.title}</dd></>}
        {current.createdAt && <><dt>Created</dt><dd>{new Date(current.createdAt).toLocaleString()}</dd></>}
      </dl>
      <p className="muted small" role="note">Search, same person, review, playback and whole-case progress work on team cases. Bookmarks and evidence export are not available for team cases yet.</p>
    </section>
  );
}

/**
 * The open case and who works on it. The investigator named here is the name every later audit
 * entry carries and the report prints; changing it (or the case number) is itself audited.
 */
function CaseDetails({ current, onSaved }: { current: CaseInfo; onSaved(c: CaseInfo): void }) {
  const [investigator, setInvestigator] = useState(current.investigator);
  const [caseNumber, setCaseNumber] = useState(current.caseNumber);
  const [title, setTitle] = useState(current.title);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setInvestigator(current.investigator); setCaseNumber(current.caseNumber); setTitle(current.title); }, [current]);
  const changed = investigator.trim() !== current.investigator || caseNumber.trim() !== current.caseNumber || title.trim() !== current.title;

  const save = async () => {
    setError(null);
    setMessage(null);
    try {
      onSaved(await api!.setCaseDetails({ investigator: investigator.trim(), caseNumber: caseNumber.trim(), title: title.trim() }));
      setMessage('Saved (recorded in the audit log).');
    } catch (e) { setError(errorText(e)); }
  };

  return (
    <section className="card" aria-label="Open case">
      <h2>Case {current.caseNumber || '(no number)'}</h2>
      <form aria-label="Case details" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label>Investigator (named in every audit entry and in exported reports)
          <input value={investigator} onChange={(e) => { setInvestigator(e.target.value); setMessage(null); }} aria-label="Open case investigator" required maxLength={200} />
        </label>
        <label>Case number<input value={caseNumber} onChange={(e) => { setCaseNumber(e.target.value); setMessage(null); }} aria-label="Open case number" maxLength={200} /></label>
        <label>Title<input value={title} onChange={(e) => { setTitle(e.target.value); setMessage(null); }} aria-label="Open case title" maxLength={1000} /></label>
        <button type="submit" disabled={!changed || !investigator.trim()}>Save case details</button>
        {message && <span className="muted small" role="status"> {message}</span>}
        {error && <div className="error" role="alert">{error}</div>}
      </form>
      <dl className="facts">
        <dt>Case file</dt><dd className="mono">{current.path}</dd>
        <dt>Evidence folder</dt><dd className="mono">{current.evidenceDir}</dd>
        <dt>Created</dt><dd>{new Date(current.createdAt).toLocaleString()}</dd>
      </dl>
    </section>
  );
}
