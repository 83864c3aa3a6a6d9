import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemFolderName, safeExtension, slug } from '../../electron/engine/evidence/names';

test('slug removes separators, dot-dot, controls and accents', () => {
  assert.equal(slug('../../etc/passwd'), 'etc-passwd');
  assert.equal(slug('..\\..\\Windows\\System32'), 'windows-system32');
  assert.equal(slug('a\u0000b\u0007c\nd'), 'a-b-c-d');
  assert.equal(slug('Café Entrée'), 'cafe-entree');
  assert.equal(slug('....'), '');
  assert.equal(slug('中文'), '');
});

test('slug is short and never a reserved Windows name', () => {
  assert.ok(slug('x'.repeat(10_000)).length <= 24);
  assert.equal(slug('CON'), 'x-con');
  assert.equal(slug('nul'), 'x-nul');
  assert.equal(slug('com1'), 'x-com1');
  assert.equal(slug('console'), 'console');
  assert.doesNotMatch(slug('a---b-- '.repeat(10)), /--|-$/);
});

test('item folders are ids plus an optional slug', () => {
  assert.equal(itemFolderName(3, 42, 'Front door', 'Red jacket!'), 'b0003-s000042-front-door-red-jacket');
  assert.equal(itemFolderName(3, 42, '', ''), 'b0003-s000042');
  assert.equal(itemFolderName(3, 42, '/', '..'), 'b0003-s000042');
});

test('only plain extensions are kept', () => {
  assert.equal(safeExtension('cam.MP4'), 'mp4');
  assert.equal(safeExtension('cam.dav'), 'dav');
  assert.equal(safeExtension('noext'), '');
  assert.equal(safeExtension('x.m p4'), '');
});
