// The investigator's workspace: case, library, search, bookmarks and settings, with the player
// docked beside whatever page opened it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SearchHit } from '../../electron/common/contract';
import { api } from './api';
import { Player, type PlayerHandle } from './components/Player';
import { BookmarksPage } from './pages/BookmarksPage';
import { CasePage } from './pages/CasePage';
import { LibraryPage } from './pages/LibraryPage';
import { SearchPage, type SearchHandle } from './pages/SearchPage';
import { SettingsPage } from './pages/SettingsPage';
import { SHORTCUTS, useShortcuts } from './shortcuts';
import { progressKey, useCase } from './useCase';

type Tab = 'case' | 'library' | 'search' | 'bookmarks' | 'settings';
const TABS: [Tab, string][] = [['case', 'Case'], ['library', 'Library'], ['search', 'Search'], ['bookmarks', 'Bookmarks'], ['settings', 'Settings']];

export function App() {
  const c = useCase();
  const [tab, setTab] = useState<Tab>('case');
  const [playing, setPlaying] = useState<{ hit: SearchHit; query: string | null; list: SearchHit[] } | null>(null);
  const [help, setHelp] = useState(false);
  const player = useRef<PlayerHandle>(null);
  const searchPage = useRef<SearchHandle>(null);
  const videosById = useMemo(() => new Map(c.videos.map((v) => [v.id, v])), [c.videos]);

  const team = !!c.caseInfo?.team;
  // A team case plays the shared footage (or this user's cached proxy of it), as a case file does.
  const openHit = (hit: SearchHit, query: string | null, list: SearchHit[]) => setPlaying({ hit, query, list });
  const stepHit = (d: number) => setPlaying((p) => {
    if (!p) return p;
    const i = p.list.findIndex((h) => h.sighting === p.hit.sighting);
    const next = p.list[i + d];
    return next ? { ...p, hit: next } : p;
  });
  // The player sits beside results and bookmarks; elsewhere it waits hidden (keeping its place).
  const playerShown = !!playing && (tab === 'search' || tab === 'bookmarks');
  const similar = (hit: SearchHit) => { setTab('search'); searchPage.current?.similar(hit); };
  const samePerson = (hit: SearchHit) => { setTab('search'); searchPage.current?.samePerson(hit); };

  useShortcuts({
    search: () => { if (!c.caseInfo) return; setTab('search'); window.setTimeout(() => searchPage.current?.focus(), 0); },
    // Player keys do nothing (and leave the key alone) while no sighting is open.
    ...(playing && playerShown ? {
      play: () => player.current?.togglePlay(),
      prevFrame: () => player.current?.stepFrames(-1),
      nextFrame: () => player.current?.stepFrames(1),
      back5: () => player.current?.seekBy(-5),
      fwd5: () => player.current?.seekBy(5),
      bookmark: () => player.current?.focusNote(),
      similar: () => similar(playing.hit),
      nextHit: () => stepHit(1),
      prevHit: () => stepHit(-1),
    } : {}),
    escape: () => { if (help) setHelp(false); else setPlaying(null); },
    help: () => setHelp((h) => !h),
  });

  // A file dropped outside the Library's drop zone must not replace the page.
  useEffect(() => {
    const block = (e: DragEvent) => e.preventDefault();
    window.addEventListener('dragover', block);
    window.addEventListener('drop', block);
    return () => { window.removeEventListener('dragover', block); window.removeEventListener('drop', block); };
  }, []);

  if (!api) {
    return <div className="fatal" role="alert">Sightline's engine is not connected (window.sightline is missing). Start the app with Electron or the test bridge.</div>;
  }

  const counts = c.videos.reduce((a, v) => { a[v.status] = (a[v.status] ?? 0) + 1; return a; }, {} as Record<string, number>);
  const busyCount = (counts.queued ?? 0) + (counts.indexing ?? 0);
  // Live events are fresher than the list's stored progress.
  const fractionOf = (v: (typeof c.videos)[number]) => (v.status === 'done' ? 1 : c.progress[progressKey({ videoId: v.id, path: v.path })]?.fraction ?? v.progress);
  const pendingVideos = c.videos.filter((v) => v.status === 'queued' || v.status === 'indexing');
  const overall = pendingVideos.length ? pendingVideos.reduce((s, v) => s + fractionOf(v), 0) / pendingVideos.length : 0;
  const noCase = !c.caseInfo;

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand" aria-label="Sightline">◉ Sightline</div>
        <nav className="tabs" aria-label="Sections" role="tablist">
          {TABS.map(([t, label]) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''}
              disabled={noCase && t !== 'case' && t !== 'settings'} onClick={() => setTab(t)}>
              {label}{t === 'bookmarks' && c.bookmarks.length ? <span className="count">{c.bookmarks.length}</span> : null}
              {t === 'library' && busyCount ? <span className="count live">{busyCount}</span> : null}
            </button>
          ))}
        </nav>
        <div className="case-chip" title={c.caseInfo?.path}>
          {c.caseInfo ? <>{team ? 'Team case' : 'Case'} <strong>{c.caseInfo.caseNumber}</strong> · {c.caseInfo.investigator}</> : <span className="muted">No case open</span>}
        </div>
        <button type="button" className="ghost small" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts (?)">?</button>
      </header>

      {c.error && <div className="error banner" role="alert">{c.error} <button type="button" className="ghost small" onClick={() => c.setError(null)} aria-label="Dismiss error">✕</button></div>}

      <div className={`workspace${playerShown ? ' with-player' : ''}`}>
        <main className="content">
          <div hidden={tab !== 'case'}><CasePage current={c.caseInfo} onOpened={(ci) => { c.setCaseInfo(ci); setPlaying(null); setTab('library'); }} onDetailsSaved={(ci) => c.setCaseInfo(ci)} /></div>
          {c.caseInfo && (
            <>
              <div hidden={tab !== 'library'}><LibraryPage videos={c.videos} progress={c.progress} team={team} onChanged={() => { void c.refreshVideos(); void c.refreshStatus(); }} /></div>
              <div hidden={tab !== 'search'}><SearchPage ref={searchPage} team={team} videos={c.videos} selected={playing?.hit.sighting ?? null} onOpen={openHit} onBookmarked={() => void c.refreshBookmarks()} /></div>
              <div hidden={tab !== 'bookmarks'}><BookmarksPage caseInfo={c.caseInfo} bookmarks={c.bookmarks} videos={c.videos} progress={c.progress} onOpen={openHit} onChanged={() => void c.refreshBookmarks()} /></div>
            </>
          )}
          <div hidden={tab !== 'settings'}><SettingsPage status={c.status} onSaved={() => void c.refreshStatus()} /></div>
        </main>
        {playing && (
          <aside className="player-dock" hidden={!playerShown}>
            <Player ref={player} key={playing.hit.videoId} hit={playing.hit} video={videosById.get(playing.hit.videoId)} query={playing.query}
              position={{ index: playing.list.findIndex((h) => h.sighting === playing.hit.sighting), total: playing.list.length }}
              onStep={stepHit}
              onClose={() => setPlaying(null)} onBookmarked={() => void c.refreshBookmarks()} onSimilar={similar} onSamePerson={samePerson} />
          </aside>
        )}
      </div>

      <footer className="statusbar" aria-label="Status">
        {team
          ? <span>Team case on {c.caseInfo!.team!.server} · progress in Library</span>
          : <span>{c.videos.length} video{c.videos.length === 1 ? '' : 's'} · {counts.done ?? 0} indexed{counts.failed ? <span className="bad"> · {counts.failed} failed</span> : null}</span>}
        {busyCount > 0 && <span className="live">Indexing {busyCount} · {Math.round(overall * 100)}%</span>}
        <span className="grow" />
        {c.status && <span>{c.status.executionProvider === 'cpu' ? 'CPU' : `GPU · ${c.status.executionProvider}`}</span>}
        <span className="muted">Press ? for shortcuts</span>
      </footer>

      {help && (
        <div className="modal" role="dialog" aria-label="Keyboard shortcuts" onClick={() => setHelp(false)}>
          <div className="card" onClick={(e) => e.stopPropagation()}>
            <h2>Keyboard shortcuts</h2>
            <table className="shortcuts"><tbody>{SHORTCUTS.map(([k, what]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{what}</td></tr>)}</tbody></table>
            <button type="button" onClick={() => setHelp(false)}>Close</button>
          </div>
        </div>
      )}
    </div>
  );
}
