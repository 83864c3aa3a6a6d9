// Layer rules, checked on the import graph of the sources (a test, not a lint plugin: no new package).
//   common/   the contract: imports only zod and common/ (Node-free: the renderer bundles it)
//   rpc/      the RPC layer: common/ and node: modules only (protocol.ts is Node-free)
//   engine/   never main/, preload/, devbridge/, gateway/, cli/ or the renderer
//   gateway/  dispatch, validation, media protocol, Range, static files: no Electron, no engine internals
//   'electron' is imported only by main/ and preload/
//   renderer  imports from electron/ only common/, rpc/protocol and (types) preload/extras
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Edge { from: string; spec: string; target: string; typeOnly: boolean }

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) return sources(rel);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [rel] : [];
  });
}

function edges(files: string[]): Edge[] {
  const out: Edge[] = [];
  for (const from of files) {
    const src = fs.readFileSync(path.join(ROOT, from), 'utf8');
    const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)|import\(['"]([^'"]+)['"]\)/g;
    for (const m of src.matchAll(re)) {
      const spec = m[3] ?? m[4] ?? m[5];
      const target = spec.startsWith('.') ? path.normalize(path.join(path.dirname(from), spec)) : spec;
      out.push({ from, spec, target, typeOnly: !!m[2] });
    }
  }
  return out;
}

const ALL = edges([...sources('electron'), ...sources('renderer/src')]);
const inDir = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
const violations = (pred: (e: Edge) => boolean) => ALL.filter(pred).map((e) => `${e.from} → ${e.spec}`);

test('layers: the import graph was read (the rules below see real edges)', () => {
  assert.ok(ALL.length > 200, `only ${ALL.length} imports found`);
  assert.ok(ALL.some((e) => e.from === 'electron/main/ipc.ts' && e.spec === 'electron'));
  assert.ok(ALL.some((e) => inDir(e.from, 'renderer/src') && e.target === 'electron/common/contract'));
});

test('layers: common/ imports only zod and itself', () => {
  assert.deepEqual(violations((e) => inDir(e.from, 'electron/common') && e.spec !== 'zod' && !inDir(e.target, 'electron/common')), []);
});

test('layers: rpc/ imports only common/, itself and node: modules; protocol.ts is Node-free', () => {
  assert.deepEqual(violations((e) => inDir(e.from, 'electron/rpc') && !e.typeOnly && !inDir(e.target, 'electron/common') && !inDir(e.target, 'electron/rpc') && !e.spec.startsWith('node:')), []);
  assert.deepEqual(violations((e) => e.from === 'electron/rpc/protocol.ts' && !e.typeOnly && e.spec.startsWith('node:')), []);
});

test('layers: the engine never imports main, preload, the bridge, the gateway, the CLI or the renderer', () => {
  const banned = ['electron/main', 'electron/preload', 'electron/devbridge', 'electron/gateway', 'electron/cli', 'renderer'];
  assert.deepEqual(violations((e) => inDir(e.from, 'electron/engine') && banned.some((b) => inDir(e.target, b))), []);
});

test('layers: the gateway needs no Electron and no engine internals (only the contract and the RPC layer)', () => {
  assert.deepEqual(violations((e) => inDir(e.from, 'electron/gateway') && (e.spec === 'electron' || (inDir(e.target, 'electron/engine') && !e.typeOnly))), []);
});

test("layers: nothing outside main/ and preload/ imports 'electron'", () => {
  assert.deepEqual(violations((e) => e.spec === 'electron' && !inDir(e.from, 'electron/main') && !inDir(e.from, 'electron/preload')), []);
});

test('layers: the renderer imports from electron/ only common/, rpc/protocol and types of preload/extras', () => {
  assert.deepEqual(violations((e) => inDir(e.from, 'renderer/src') && inDir(e.target, 'electron')
    && !inDir(e.target, 'electron/common') && e.target !== 'electron/rpc/protocol'
    && !(e.typeOnly && e.target === 'electron/preload/extras')), []);
});

test('layers: the CLI reaches the case only through the Engine (no case/, evidence/ or indexing/ imports)', () => {
  assert.deepEqual(violations((e) => inDir(e.from, 'electron/cli') && ['electron/engine/case', 'electron/engine/evidence', 'electron/engine/indexing'].some((d) => inDir(e.target, d))
    && e.target !== 'electron/engine/evidence/verify'), []);
});
