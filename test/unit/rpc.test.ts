// The one RPC layer: serve() turns every failure into a Reply with a code, proxy() rethrows it as an
// ApiError with that code; values (null, undefined, objects) come back as they were returned.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiError, errorCode, fromWireError, toWireError } from '../../electron/common/errors';
import { proxy, serve } from '../../electron/rpc/protocol';

class Target {
  secret = 'not a method';
  async echo(x: unknown) { return x; }
  async nothing() { return undefined; }
  async missing() { throw new ApiError('NOT_FOUND', 'sighting 9: not in this case'); }
  async crash() { throw new TypeError('boom'); }
  async privileged() { return 'should not be reachable'; }
}
type Api = { echo(x: unknown): Promise<unknown>; nothing(): Promise<void>; missing(): Promise<never>; crash(): Promise<never>; privileged(): Promise<string> };

const call = serve(new Target(), ['echo', 'nothing', 'missing', 'crash']);
const api = proxy<Api>(call, ['echo', 'nothing', 'missing', 'crash', 'privileged']);

test('rpc: values round-trip unchanged (null stays null, undefined stays undefined)', async () => {
  assert.deepEqual(await api.echo({ a: [1, 'x'] }), { a: [1, 'x'] });
  assert.equal(await api.echo(null), null);
  assert.equal(await api.nothing(), undefined);
});

test('rpc: failures keep their code; anything unnamed is INTERNAL; stacks never cross', async () => {
  await assert.rejects(api.missing(), (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND' && /not in this case/.test(e.message));
  await assert.rejects(api.crash(), (e: unknown) => errorCode(e) === 'INTERNAL' && (e as Error).message === 'boom');
  const r = await call('crash', []);
  assert.equal(r.ok, false);
  assert.deepEqual(Object.keys(r.ok ? {} : r.error).sort(), ['code', 'message']);
});

test('rpc: only the served methods are reachable (not other methods, fields or the prototype)', async () => {
  await assert.rejects(api.privileged(), (e: unknown) => errorCode(e) === 'UNKNOWN_METHOD');
  for (const m of ['secret', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    const r = await call(m, []);
    assert.equal(r.ok ? 'ok' : r.error.code, 'UNKNOWN_METHOD', m);
  }
});

test('rpc: the check sees each call first and its refusal is the reply', async () => {
  const checked = serve(new Target(), ['echo'], (_m, args) => {
    if (!Array.isArray(args) || args.length !== 1) throw new ApiError('INVALID_ARGUMENT', 'echo: expected 1 argument');
    return args as unknown[];
  });
  const r = await checked('echo', [1, 2]);
  assert.deepEqual(r, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'echo: expected 1 argument' } });
  assert.deepEqual(await checked('echo', [3]), { ok: true, value: 3 });
});

test('rpc: wire errors from an untrusted side are normalised', () => {
  assert.equal(fromWireError({ code: 'NOPE' as never, message: 'x' }).code, 'INTERNAL');
  assert.equal(toWireError('plain string').message, 'plain string');
  assert.equal(toWireError(new Error('x'.repeat(5000))).message.length, 2000);
});
