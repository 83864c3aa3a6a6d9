// The renderer's security posture in one place (no Electron import, so tests can check it).

/** Content-Security-Policy of the UI: nothing remote, no inline scripts, media only via the protocol. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' media: data:",
  "media-src media:",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

/**
 * The same policy for the loopback test bridge, where a plain browser gets media from the page's
 * own origin (/media/...) because it has no media: scheme.
 */
export const BRIDGE_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
  .replace("media-src media:", "media-src 'self'")
  .replace("img-src 'self' media: data:", "img-src 'self' data:");

/** webPreferences for every window: isolated, sandboxed, no Node in the page. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

/** IPC channel names (prefix + API method) shared by main and preload. */
export const IPC_PREFIX = 'sightline:';
export const PROGRESS_CHANNEL = 'sightline:progress';

/** True when an IPC message comes from our own UI page and not from something it navigated to. */
export function isTrustedSender(senderUrl: string | undefined, rendererUrl: string): boolean {
  if (!senderUrl) return false;
  const strip = (u: string) => u.replace(/[?#].*$/, '');
  return strip(senderUrl) === strip(rendererUrl);
}
