// Whole-case progress of a team case: every worker's chunks together (engine status().team), with the
// rate and ETA over all workers. Workers run on other machines and send no events here: it polls.
import { useEffect, useState } from 'react';
import type { EngineStatus } from '../../../electron/common/contract';
import { api, errorText } from '../api';
import { duration } from '../format';
import { ProgressBar } from './ProgressBar';

const POLL_MS = 2000;

export function TeamProgress() {
  const [team, setTeam] = useState<NonNullable<EngineStatus['team']> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    let timer = 0;
    const poll = async () => {
      try { const s = await api!.status(); if (!stop) { setTeam(s.team ?? null); setError(null); } } catch (e) { if (!stop) setError(errorText(e)); }
      if (!stop) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => { stop = true; window.clearTimeout(timer); };
  }, []);

  if (!team) return <section className="card" aria-label="Team case progress">{error ? <div className="error" role="alert">{error}</div> : <p className="muted">Reading the team case…</p>}</section>;
  const fraction = team.footageS > 0 ? team.doneS / team.footageS : 0;
  const c = team.chunks;
  return (
    <section className="card" aria-label="Team case progress">
      <h2>Whole-case indexing</h2>
      <ProgressBar fraction={fraction} label="Indexing of the whole team case" />
      <div data-testid="team-progress">
        {Math.round(fraction * 100)}% · chunks {c.done}/{c.total} done{c.running ? `, ${c.running} running` : ''}{c.queued ? `, ${c.queued} queued` : ''}{c.failed ? `, ${c.failed} failed` : ''}
        {' · '}{team.rate === null ? 'rate —' : `${team.rate.toFixed(2)} s of footage per s`}
        {' · '}{team.etaS === null ? 'ETA —' : team.etaS === 0 ? 'done' : `ETA ${duration(team.etaS)}`}
      </div>
      <p className="muted small">{duration(team.doneS)} of {duration(team.footageS)} of footage indexed by the case's workers. Footage is imported and workers are started from the command line (README, "Team server").</p>
      <table className="videos">
        <thead><tr><th>Video</th><th>Status</th><th>Chunks</th><th>Length</th></tr></thead>
        <tbody>{team.videos.map((v) => (
          <tr key={v.id}><td className="mono small">{v.path}</td><td>{v.status}</td><td>{v.chunksDone}/{v.chunks}</td><td>{duration(v.durationS)}</td></tr>
        ))}</tbody>
      </table>
      {error && <div className="error" role="alert">{error}</div>}
    </section>
  );
}
