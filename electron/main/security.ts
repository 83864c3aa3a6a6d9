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

/**
 * The UI is served from this privileged scheme (main/protocol.ts), never file://: a file: origin
 * would make every local file same-origin with the UI. Only this page may call the API.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'sightline';
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True when an IPC message comes from our own UI page and not from something it navigated to. */
export function isTrustedSender(senderUrl: string | undefined, rendererUrl: string = RENDERER_URL): boolean {
  if (!senderUrl) return false;
  const strip = (u: string) => u.replace(/[?#].*$/, '');
  return strip(senderUrl) === strip(rendererUrl);
}

/** What the window may load at all: the UI's own scheme and host, the media protocol, devtools, data: images. */
export function isAllowedRequest(url: string): boolean {
  if (url.startsWith(`${APP_SCHEME}://${APP_HOST}/`)) return true;
  return /^(media|devtools|data):/i.test(url);
}

/**
 * Links that may open in the user's browser: exact https URLs listed here, nothing else (an
 * arbitrary URL handed to openExternal can start any registered protocol handler). Empty today:
 * the UI has no external links.
 */
export const EXTERNAL_LINK_ALLOWLIST: readonly string[] = [];

export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = EXTERNAL_LINK_ALLOWLIST): boolean {
  let u: URL;
  try { u = new URL(url); } catch { return false; }
  return u.protocol === 'https:' && !u.username && !u.password && allowlist.includes(u.toString());
}
