// Saved window geometry is clamped onto the displays that exist now.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clampWindowState, loadWindowState, MIN_SIZE, saveWindowState } from '../../electron/main/windowState';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 984 };

test('window state: a valid saved state is kept', () => {
  assert.deepEqual(clampWindowState({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, [primary]), { x: 100, y: 50, width: 1200, height: 800, maximized: true });
});

test('window state: no saved state centres a default window on the primary display', () => {
  const s = clampWindowState(null, [primary]);
  assert.equal(s.maximized, false);
  assert.equal(s.x, Math.round((1920 - s.width) / 2));
  assert.ok(s.width >= MIN_SIZE.width && s.width <= 1920);
});

test('window state: a window on a monitor that is gone moves to the primary display', () => {
  const s = clampWindowState({ x: 3500, y: 100, width: 1000, height: 700 }, [primary]);
  assert.deepEqual(s, { x: 460, y: 170, width: 1000, height: 700, maximized: false });
});

test('window state: a window on the second display stays there, pulled fully inside', () => {
  const s = clampWindowState({ x: 2900, y: -20, width: 1000, height: 700 }, [primary, right]);
  assert.deepEqual(s, { x: 2200, y: 0, width: 1000, height: 700, maximized: false });
});

test('window state: sizes are clamped between the minimum and the display', () => {
  assert.deepEqual(clampWindowState({ x: 0, y: 0, width: 5000, height: 4000 }, [primary]), { x: 0, y: 0, width: 1920, height: 1040, maximized: false });
  const tiny = clampWindowState({ x: 10, y: 10, width: 50, height: 20 }, [primary]);
  assert.equal(tiny.width, MIN_SIZE.width);
  assert.equal(tiny.height, MIN_SIZE.height);
  const small = clampWindowState({ x: 0, y: 0, width: 1200, height: 900 }, [{ x: 0, y: 0, width: 800, height: 600 }]);
  assert.deepEqual(small, { x: 0, y: 0, width: 800, height: 600, maximized: false });
});

test('window state: garbage in the file gives defaults; save and load round-trip', () => {
  assert.doesNotThrow(() => clampWindowState({ x: 'a', y: Number.NaN, width: null }, [primary]));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-ws-'));
  const file = path.join(dir, 'sub', 'window-state.json');
  assert.equal(loadWindowState(file, [primary]).maximized, false);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{not json');
  assert.doesNotThrow(() => loadWindowState(file, [primary]));
  saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: false });
  assert.deepEqual(loadWindowState(file, [primary]), { x: 10, y: 20, width: 1000, height: 700, maximized: false });
});
