// Electron side of the app:// (the UI) and media:// (videos, thumbnails) protocols: registration
// (must happen before app ready) and handlers that only adapt Electron's Request/Response to the
// gateway (gateway/staticFiles.ts, gateway/mediaProtocol.ts).
import { protocol } from 'electron';
import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { MEDIA_SCHEME } from '../common/contract';
import { answerMediaRequest, type MediaFileSource } from '../gateway/mediaProtocol';
import { staticFile, staticType } from '../gateway/staticFiles';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';

/** Privileged so <video> can stream and seek media: and the UI gets a secure origin; call before app 'ready'. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? staticFile(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    return new Response(fs.readFileSync(file), {
      headers: { 'Content-Type': staticType(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}

export function handleMediaProtocol(source: MediaFileSource): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const a = await answerMediaRequest(source, { url: request.url, method: request.method, range: request.headers.get('range') });
    const body = a.body ? (Readable.toWeb(a.body) as unknown as ReadableStream<Uint8Array>) : null;
    return new Response(body, { status: a.status, headers: a.headers });
  });
}
