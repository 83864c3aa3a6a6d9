// Electron side of the `media://` protocol: registration (must happen before app ready) and the
// handler, which only adapts Electron's Request/Response to answerMediaRequest.
import { protocol } from 'electron';
import { Readable } from 'node:stream';
import { MEDIA_SCHEME } from '../engine/contract';
import { answerMediaRequest, type MediaFileSource } from './mediaProtocol';

/** Privileged so <video> can stream and seek it and fetch() works; call before app 'ready'. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

export function handleMediaProtocol(source: MediaFileSource): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const a = await answerMediaRequest(source, { url: request.url, method: request.method, range: request.headers.get('range') });
    const body = a.body ? (Readable.toWeb(a.body) as unknown as ReadableStream<Uint8Array>) : null;
    return new Response(body, { status: a.status, headers: a.headers });
  });
}
