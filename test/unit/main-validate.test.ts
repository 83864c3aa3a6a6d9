// IPC payload validation: every API method accepts its well-formed payloads and rejects the rest.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { API_METHODS, type ApiMethod } from '../../electron/engine/contract';
import { LIMITS, validateCall, ValidationError } from '../../electron/gateway/validate';

const abs = (p: string) => path.resolve('/', p);
const rejects = (method: string, args: unknown, why?: RegExp) =>
  assert.throws(() => validateCall(method as ApiMethod, args), (e: unknown) => e instanceof ValidationError && (!why || why.test((e as Error).message)), `${method} ${JSON.stringify(args)?.slice(0, 120)}`);

const GOOD: { [M in ApiMethod]: unknown[][] } = {
  createCase: [[{ path: abs('cases/a.sightline'), caseNumber: 'C-1', investigator: 'Ann' }], [{ path: abs('x.db'), caseNumber: '7', investigator: 'B', title: 'Robbery' }]],
  openCase: [[abs('cases/a.sightline')]],
  openTeamCase: [[{ server: 'postgres://alice@db.example/case17' }], [{ server: 'postgresql://alice:pw@10.0.0.5:5432/case17?sslmode=require' }]],
  getCase: [[]],
  setCaseDetails: [[{}], [{ investigator: 'DC A. Jones' }], [{ caseNumber: '2024-0173', investigator: 'Анна Петрова', title: 'Robbery' }], [{ caseNumber: '' }]],
  importPaths: [[{ paths: [abs('v/a.mp4'), abs('v/folder')] }], [{ paths: [abs('a.mp4')], fps: 2 }], [{ paths: [abs('a.mp4')], cores: 4 }], [{ paths: [abs('a.mp4')], cores: 0 }]],
  listVideos: [[]],
  setCamera: [[1, 'Cam 3 — High St'], [2, '']],
  setClockCorrection: [[1, '2024-05-01T14:03:00Z'], [1, '2024-05-01T14:03:00.250+01:00'], [3, null]],
  search: [[{ text: 'woman in a red jacket' }], [{ text: 'man', top: 50, videoIds: [1, 2], cameras: ['A'], from: 0, to: 60.5, minScore: 0.2 }],
    [{ text: 'man', top: 100, offset: 200, includeRejected: true }], [{ text: 'man', fromWall: '2024-05-01T14:00:00+01:00', toWall: '2024-05-01T14:30:00Z' }],
    [{ text: 'person', attributes: { gender: 'female', upperColour: 'red', lowerColour: 'navy', bag: true, hat: false } }]],
  searchSimilar: [[{ sightingId: 4 }], [{ sightingId: 4, top: 10, videoIds: [1], cameras: ['A', 'B'], minScore: -0.1 }]],
  searchSamePerson: [[{ sightingId: 4 }], [{ sightingId: 4, top: 5, videoIds: [1, 2] }]],
  listSightings: [[{}], [{ videoId: 3 }]],
  getSighting: [[9]],
  getTrack: [[9]],
  getTrackStrip: [[9]],
  rejectSighting: [[9, 'not a person'], [9, 'not relevant'], [9, null]],
  relinkVideo: [[1, abs('moved/a.mp4')]],
  addBookmark: [[{ sightingId: 1 }], [{ sightingId: 1, note: 'suspect enters', query: 'red jacket', score: 0.31 }]],
  updateBookmark: [[1, 'new note'], [1, '']],
  removeBookmark: [[1]],
  listBookmarks: [[]],
  exportEvidence: [[{ outDir: abs('out'), bookmarks: 'all' }], [{ outDir: abs('out'), bookmarks: [1, 2], padS: 5 }]],
  getSettings: [[]],
  verifyAudit: [[]],
  setSettings: [[{}], [{ sampleFps: 2, executionProvider: 'cpu' }], [{ sampleFps: LIMITS.maxFps }], [{ motionGating: false }], [{ coarsePass: false, cores: 2 }]],
  status: [[]],
  getSigningKey: [[]],
};

const BAD: { [M in ApiMethod]: unknown[][] } = {
  createCase: [[], [{ path: 'relative/a.sightline', caseNumber: 'C', investigator: 'A' }], [{ path: abs('a'), caseNumber: '', investigator: 'A' }],
    [{ path: abs('a'), caseNumber: 'C', investigator: 'A', admin: true }], [{ path: abs('a'), caseNumber: 1, investigator: 'A' }], ['x'],
    [{ path: abs('a') + '\0', caseNumber: 'C', investigator: 'A' }]],
  openCase: [['rel.sightline'], [''], [42], [abs('a'), abs('b')], []],
  openTeamCase: [[], [{ server: '' }], [{ server: 'mysql://a@b/c' }], [{ server: 'postgres://a@b/c', password: 'x' }], ['postgres://a@b/c'], [{ server: 'postgres://' + 'x'.repeat(LIMITS.connectionString) }]],
  getCase: [[1]],
  setCaseDetails: [[], [{ investigator: '' }], [{ investigator: 'x'.repeat(LIMITS.shortText + 1) }], [{ caseNumber: 7 }], [{ user: 'admin' }], ['Ann']],
  importPaths: [[{ paths: [] }], [{ paths: ['a.mp4'] }], [{ paths: abs('a.mp4') }], [{ paths: [abs('a')], fps: 0 }], [{ paths: [abs('a')], fps: 1000 }],
    [{ paths: [abs('a')], recursive: true }], [{ paths: Array(LIMITS.importPaths + 1).fill(abs('a')) }], [{ paths: [abs('a')], fps: Number.NaN }],
    [{ paths: [abs('a')], cores: -1 }], [{ paths: [abs('a')], cores: 1.5 }], [{ paths: [abs('a')], cores: '2' }]],
  listVideos: [['x']],
  setCamera: [[0, 'a'], [-1, 'a'], [1.5, 'a'], ['1', 'a'], [1, 'x'.repeat(LIMITS.shortText + 1)], [1], [1, null]],
  setClockCorrection: [[1, '2024-05-01'], [1, '2024-05-01T14:03:00'], [1, 'yesterday'], [1, 1714572180000], [1, '2024-13-45T99:00:00Z'], [1]],
  search: [[{ text: '' }], [{ text: '   ' }], [{ text: 'x'.repeat(LIMITS.searchText + 1) }], [{ text: 'a', top: 0 }], [{ text: 'a', top: 2.5 }],
    [{ text: 'a', minScore: 2 }], [{ text: 'a', from: -1 }], [{ text: 'a', from: 10, to: 5 }], [{ text: 'a', videoIds: [0] }], [{ text: 'a', cameras: [1] }],
    [{ text: 'a', sql: 'drop' }], [{ text: 'a', offset: -1 }], [{ text: 'a', offset: 1.5 }], [{ text: 'a', offset: LIMITS.maxOffset + 1 }], [{ text: 'a', includeRejected: 'yes' }], [{ text: 'a', fromWall: '2024-05-01T14:00:00' }], [{ text: 'a', fromWall: '2024-05-01T15:00:00Z', toWall: '2024-05-01T14:00:00Z' }], [{ text: 'a' }, {}], ['woman'], [null], [Object.create({ text: 'a' })],
    [{ text: 'a', attributes: { gender: 'other' } }], [{ text: 'a', attributes: { upperColour: 'mauve' } }], [{ text: 'a', attributes: { bag: 'yes' } }], [{ text: 'a', attributes: { shoes: 'red' } }]],
  searchSimilar: [[{}], [{ sightingId: 'x' }], [{ sightingId: 1, text: 'a' }], [{ sightingId: 1, top: -3 }]],
  searchSamePerson: [[{}], [{ sightingId: -1 }], [{ sightingId: 1, text: 'a' }]],
  listSightings: [[{ videoId: 'x' }], [{ videoId: 0.5 }], [{ video: 1 }]],
  getSighting: [[0], ['1'], [Number.MAX_SAFE_INTEGER + 2], []],
  getTrack: [[0], []],
  getTrackStrip: [[0], ['x']],
  rejectSighting: [[9], [9, 'boring'], [0, 'not a person'], [9, 'not a person', 1]],
  relinkVideo: [[1, 'moved/a.mp4'], [1], [0, abs('a.mp4')], [1, abs('a') + '\0']],
  addBookmark: [[{ note: 'x' }], [{ sightingId: 1, note: 'x'.repeat(LIMITS.noteChars + 1) }], [{ sightingId: 1, score: Number.POSITIVE_INFINITY }], [{ sightingId: 1, hit: {} }]],
  updateBookmark: [[1], [1, 5], ['1', 'x']],
  removeBookmark: [[], ['all']],
  listBookmarks: [[{}]],
  exportEvidence: [[{ outDir: 'out', bookmarks: 'all' }], [{ outDir: abs('o'), bookmarks: 'some' }], [{ outDir: abs('o'), bookmarks: [] }],
    [{ outDir: abs('o'), bookmarks: 'all', padS: -1 }], [{ outDir: abs('o'), bookmarks: 'all', padS: 1e6 }], [{ outDir: abs('o'), bookmarks: 'all', zip: true }]],
  getSettings: [[1]],
  verifyAudit: [[1]],
  // Executables (ffmpegPath, ffprobePath) are never set over the API, not even '' or an absolute path:
  // only main's native dialog or the CLI may name a program the engine will run.
  setSettings: [[{ ffmpegPath: 'ffmpeg' }], [{ executionProvider: 'tpu' }], [{ motionGating: 'yes' }], [{ cores: LIMITS.maxCores + 1 }], [{ coarsePass: 1 }], [{ sampleFps: 0 }], [{ theme: 'dark' }], [null], [[]],
    [{ ffmpegPath: '' }], [{ ffmpegPath: abs('usr/bin/ffmpeg') }], [{ ffprobePath: abs('tmp/evil.sh') }], [{ sampleFps: LIMITS.maxFps + 1 }]],
  status: [['now']],
  getSigningKey: [['/tmp/key.pem']],
};

for (const method of API_METHODS) {
  test(`validate ${method}: accepts well-formed payloads`, () => {
    for (const args of GOOD[method]) assert.doesNotThrow(() => validateCall(method, args), `${method} ${JSON.stringify(args)}`);
  });
  test(`validate ${method}: rejects malformed payloads`, () => {
    assert.ok(BAD[method].length > 0);
    for (const args of BAD[method]) rejects(method, args);
  });
}

test('validate: unknown methods and non-array arguments are rejected', () => {
  rejects('deleteCase', [], /unknown method/);
  rejects('__proto__', [], /unknown method/);
  rejects('search', { text: 'a' }, /array/);
});

test('validate: the cleaned payload is what was sent, minus undefined keys', () => {
  const [req] = validateCall('search', [{ text: 'man', top: undefined, minScore: 0.1 }]);
  assert.deepEqual(req, { text: 'man', minScore: 0.1 });
  assert.equal(Object.hasOwn(req, 'top'), false);
});

test('validate: error messages name the offending field', () => {
  rejects('importPaths', [{ paths: [abs('ok.mp4'), 'bad.mp4'] }], /importPaths\.paths\[1\].*absolute/);
  rejects('createCase', [{ path: abs('a'), caseNumber: 'C', investigator: 'A', evil: 1 }], /unknown key "evil"/);
});

test('validate: errors carry a code (INVALID_ARGUMENT for a bad payload, UNKNOWN_METHOD for a bad name)', () => {
  assert.throws(() => validateCall('search', [{ text: '' }]), (e: unknown) => (e as { code?: string }).code === 'INVALID_ARGUMENT');
  assert.throws(() => validateCall('drop' as ApiMethod, []), (e: unknown) => (e as { code?: string }).code === 'UNKNOWN_METHOD');
});

test('validate: arity and limits come from the one contract', async () => {
  const { API, ARITY } = await import('../../electron/common/contract');
  for (const m of API_METHODS) assert.equal(ARITY[m], API[m].names.length, m);
  assert.equal(ARITY.setCamera, 2);
  assert.doesNotThrow(() => validateCall('exportEvidence', [{ outDir: abs('o'), bookmarks: 'all', padS: LIMITS.maxPadS }]));
  rejects('exportEvidence', [{ outDir: abs('o'), bookmarks: 'all', padS: LIMITS.maxPadS + 1 }], /padS/);
  rejects('importPaths', [{ paths: [abs('a')], fps: LIMITS.maxFps + 1 }], /importPaths\.fps/);
  rejects('search', [{ text: 'a', top: LIMITS.top + 1 }], /search\.top/);
});
