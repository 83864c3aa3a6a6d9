// The IVT model a case file is indexed with (vision/caseModel.ts states the rule): recorded in meta by
// the indexing job, inferred from the stored embeddings for a case indexed before it was recorded.
import { getMeta, setMeta, writeTransaction, type Db } from './caseFile';
import { inferIvtModel, IVT_MODEL_KEY } from '../vision/caseModel';

/** The model the case was indexed with (an id or a model folder), or undefined for a new, empty or mixed case. */
export function ivtModelOfCaseFile(db: Db): string | undefined {
  const recorded = getMeta(db, IVT_MODEL_KEY);
  if (recorded) return recorded;
  const spaces = db.prepare('SELECT DISTINCT model_id FROM embeddings').pluck().all() as string[];
  const keys = db.prepare('SELECT DISTINCT index_models FROM videos WHERE index_models IS NOT NULL').pluck().all() as string[];
  return inferIvtModel(spaces, keys);
}

/** The indexing job's record: every video of the case is (re-)indexed with `ref` from here on. */
export function recordIvtModel(db: Db, ref: string): void {
  if (getMeta(db, IVT_MODEL_KEY) === ref) return;
  writeTransaction(db, () => setMeta(db, IVT_MODEL_KEY, ref));
}
