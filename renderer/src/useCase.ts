// The open case as the UI sees it: case info, videos (kept fresh from progress events, with a slow
// poll as a safety net), the latest progress per video, bookmarks and engine status.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Bookmark, CaseInfo, EngineStatus, ProgressEvent, VideoInfo } from '../../electron/common/contract';
import { api, errorText, isError } from './api';

export interface CaseState {
  caseInfo: CaseInfo | null;
  videos: VideoInfo[];
  /** Latest progress per video id (or per path before the video has an id). */
  progress: Record<string, ProgressEvent>;
  bookmarks: Bookmark[];
  status: EngineStatus | null;
  error: string | null;
  setCaseInfo(c: CaseInfo | null): void;
  refreshVideos(): Promise<void>;
  refreshBookmarks(): Promise<void>;
  refreshStatus(): Promise<void>;
  setError(e: string | null): void;
}

export const progressKey = (e: Pick<ProgressEvent, 'videoId' | 'path'>): string => (e.videoId !== null ? `v${e.videoId}` : `p${e.path}`);

export function useCase(): CaseState {
  const [caseInfo, setCaseInfo] = useState<CaseInfo | null>(null);
  const [videos, setVideos] = useState<VideoInfo[]>([]);
  const [progress, setProgress] = useState<Record<string, ProgressEvent>>({});
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refreshTimer = useRef<number | null>(null);

  const refreshVideos = useCallback(async () => {
    if (!api) return;
    try {
      setVideos(await api.listVideos());
    } catch (e) {
      // No case open yet is not an error worth showing.
      if (!isError(e, 'NO_CASE')) setError(errorText(e));
    }
  }, []);
  const refreshBookmarks = useCallback(async () => {
    if (!api) return;
    try { setBookmarks(await api.listBookmarks()); } catch (e) { if (!isError(e, 'NO_CASE')) setError(errorText(e)); }
  }, []);
  const refreshStatus = useCallback(async () => {
    if (!api) return;
    try { setStatus(await api.status()); } catch (e) { setError(errorText(e)); }
  }, []);

  // The case the engine already has open (e.g. after a reload).
  useEffect(() => {
    if (!api) return;
    void api.getCase().then(setCaseInfo, (e) => setError(errorText(e)));
    void refreshStatus();
  }, [refreshStatus]);

  useEffect(() => {
    if (!caseInfo) { setVideos([]); setBookmarks([]); setProgress({}); return; }
    void refreshVideos();
    void refreshBookmarks();
    void refreshStatus();
  }, [caseInfo, refreshVideos, refreshBookmarks, refreshStatus]);

  // Progress events: remember the latest per video and refresh the list soon after (coalesced).
  useEffect(() => {
    if (!api) return;
    return api.onProgress((e) => {
      setProgress((p) => ({ ...p, [progressKey(e)]: e }));
      if (refreshTimer.current === null) {
        refreshTimer.current = window.setTimeout(() => {
          refreshTimer.current = null;
          void refreshVideos();
          if (e.phase === 'done' || e.phase === 'failed') void refreshStatus();
        }, e.phase === 'done' || e.phase === 'failed' ? 50 : 700);
      }
    });
  }, [refreshVideos, refreshStatus]);

  // Safety net while anything is pending: events can be missed across a reload.
  // (A team case's proxies are made when a video is first played, and report by events: a pending one
  // may stay pending for good.)
  const team = !!caseInfo?.team;
  const pending = videos.some((v) => v.status === 'queued' || v.status === 'indexing' || v.playback.state === 'making' || (v.playback.state === 'pending' && !team));
  useEffect(() => {
    if (!pending) return;
    const t = window.setInterval(() => void refreshVideos(), 2000);
    return () => window.clearInterval(t);
  }, [pending, refreshVideos]);

  return { caseInfo, videos, progress, bookmarks, status, error, setCaseInfo, refreshVideos, refreshBookmarks, refreshStatus, setError };
}
