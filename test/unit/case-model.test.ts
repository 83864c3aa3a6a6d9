// The rule that picks a case's IVT model (vision/caseModel.ts), and how a case's model is inferred from
// what an older case stores, against the manifests installed under native-models/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferIvtModel, resolveIvtModel } from '../../electron/engine/vision/caseModel';
import { DEFAULT_IVT, embeddingSpace, loadIvtModel } from '../../electron/engine/vision/manifest';

const ensemble = loadIvtModel('ivt-ensemble-v1');
const [A, B] = ensemble.members.map(embeddingSpace);
const key = (ivt: string): string => `nanodet-m-coco@1.0.0+${ivt}+person-reidentification-retail-0288@1.0.0+person-attributes-recognition-crossroad-0230@1.0.0+tracker@3`;

test('an explicit model wins, else the case\'s, else the default', () => {
  assert.deepEqual(resolveIvtModel('ivt-osnet-v2', 'ivt-ensemble-v1'), { model: 'ivt-osnet-v2', chosenBy: 'setting' });
  assert.deepEqual(resolveIvtModel(undefined, 'ivt-ensemble-v1'), { model: 'ivt-ensemble-v1', chosenBy: 'case' });
  assert.deepEqual(resolveIvtModel(undefined, undefined), { model: DEFAULT_IVT, chosenBy: 'default' });
  assert.deepEqual(resolveIvtModel('', null), { model: DEFAULT_IVT, chosenBy: 'default' });
});

test('embeddings of one model\'s space name that model; an ensemble\'s members name the ensemble', () => {
  assert.equal(inferIvtModel([B], []), 'ivt-osnet-v2');
  assert.equal(inferIvtModel([A], []), 'ivt-small-synth-v1');
  assert.equal(inferIvtModel([A, B], []), 'ivt-ensemble-v1');
  assert.equal(inferIvtModel([B, A], [key(A)]), 'ivt-ensemble-v1', 'the embeddings decide over the index keys');
});

test('a mixed case, or a model version not installed here, names no model', () => {
  assert.equal(inferIvtModel([A, 'ivt-other@1.0.0'], []), undefined);
  assert.equal(inferIvtModel(['ivt-osnet-v2@1.9.0'], []), undefined);
  assert.equal(inferIvtModel([], [key(A), key(B)]), undefined);
  assert.equal(inferIvtModel([], []), undefined);
});

test('without embeddings, the index keys name the model (a team case\'s videos.index_models)', () => {
  assert.equal(inferIvtModel([], [key(ensemble.space)]), 'ivt-ensemble-v1');
  assert.equal(inferIvtModel([], [key(B), key(B)]), 'ivt-osnet-v2');
});
