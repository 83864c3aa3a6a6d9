// Optional desktop-only helpers the preload adds beside the contract's SightlineApi (types only, so
// the renderer can import them). The renderer feature-detects each one: in the test bridge some are
// absent, and the UI falls back to typed paths.

export interface PickPathsRequest {
  /** 'files' (videos, multi-select), 'folder' (a folder to import or export into), 'case' (an existing case file). */
  kind: 'files' | 'folder' | 'case';
}

export interface DesktopExtras {
  /** Native open dialog; [] when cancelled. */
  pickPaths?(req: PickPathsRequest): Promise<string[]>;
  /** Native save dialog for a new case file; null when cancelled. */
  pickNewCaseFile?(): Promise<string | null>;
  /** Absolute path of a File dropped onto the window (Electron's webUtils.getPathForFile); '' when unknown. */
  pathForFile?(file: File): string;
  /** Turns a media:// URL from the engine into one the page can load (the test bridge serves /media/...). */
  toMediaSrc?(mediaUrl: string): string;
}
