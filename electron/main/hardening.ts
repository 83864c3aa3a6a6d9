// App-wide rules that hold for every web contents: no navigation away from the UI, no new windows,
// no <webview>, every permission request denied, CSP on every response.
import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './security';

export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // No remote content: block every request that is not the local UI or our media protocol.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok = /^(file|media|devtools|chrome-extension|data):/i.test(details.url);
    callback({ cancel: !ok });
  });
}

export function hardenWebContents(): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Help links may open in the user's browser; never inside the app.
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
