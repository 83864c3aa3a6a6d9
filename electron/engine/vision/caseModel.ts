// Which IVT model (or ensemble) a case is indexed and searched with. The model is a property of the
// case: a case keeps the model it was indexed with when the shipped default changes, so yesterday's
// cases search without a re-index. The one rule is resolveIvtModel; each backend reads the case's side
// (case/ivtModel.ts for a case file, team/pgStore.ts for a team case).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IVT_CHOSEN_BY_TEXT } from '../../common/contract';
import { DEFAULT_IVT, embeddingSpace, type IvtModel, loadIvtModel, ModelError, packageRoot } from './manifest';

/** Meta key (case file and team case alike) recording the model a case is indexed with: an id or a model folder. */
export const IVT_MODEL_KEY = 'ivt_model';

/** Who chose the model: an explicit setting (Engine option, SIGHTLINE_IVT_MODEL), the case, or the default. */
export type IvtModelChosenBy = keyof typeof IVT_CHOSEN_BY_TEXT;
export interface IvtModelChoice { model: string; chosenBy: IvtModelChosenBy }

/** The model asked for in this process's environment, if any (the Engine option takes its place when given). */
export function explicitIvtModel(): string | undefined { return process.env.SIGHTLINE_IVT_MODEL || undefined; }

/**
 * The rule: an explicit choice wins (a case of another model is then refused by search and re-indexed
 * by `index`, as always); else the model the case was indexed with; else (a new or empty case) the default.
 */
export function resolveIvtModel(explicit: string | undefined, caseModel: string | undefined | null): IvtModelChoice {
  if (explicit) return { model: explicit, chosenBy: 'setting' };
  if (caseModel) return { model: caseModel, chosenBy: 'case' };
  return { model: DEFAULT_IVT, chosenBy: 'default' };
}

/** Why this model, in words: "the case's". */
export function chosenByText(chosenBy: IvtModelChosenBy): string {
  return IVT_CHOSEN_BY_TEXT[chosenBy];
}

/** How a choice is shown to the investigator: "ivt-small-synth-v1@1.2.0 (the case's)". */
export function describeChoice(space: string, chosenBy: IvtModelChosenBy): string { return `${space} (${chosenByText(chosenBy)})`; }

/**
 * Loads the chosen model (checked against its manifest). A case's own model this machine lacks (a model
 * folder of another machine, a model not installed) is named as the case's, with the way out.
 */
export function loadChosenIvtModel(c: IvtModelChoice): IvtModel {
  try {
    return loadIvtModel(c.model);
  } catch (e) {
    if (c.chosenBy !== 'case') throw e;
    throw new ModelError(`this case was indexed with the IVT model ${c.model}, which cannot be loaded on this machine (${(e as Error).message}): install it, or choose a model with SIGHTLINE_IVT_MODEL (a case file is then re-indexed with it)`);
  }
}

/** A choice as shown, by the id@version its manifest gives (or why it cannot be loaded on this machine). */
export function describeModelInUse(c: IvtModelChoice): string {
  let space: string;
  try { space = loadIvtModel(c.model).space; } catch (e) { space = `${c.model}, not loadable here: ${(e as Error).message}`; }
  return describeChoice(space, c.chosenBy);
}

/** An installed IVT model as the case's stored rows name it: its embedding space and its members' spaces. */
interface InstalledIvt { id: string; space: string; memberSpaces: string[] }

/**
 * The IVT models and ensembles under native-models/, read by loadIvtModel (the one reader of manifests:
 * an ensemble's members and every id@version come from it; files are hashed once per process). A folder
 * that is not a loadable IVT model (another kind, damaged) is not one of them.
 */
function installedIvtModels(): InstalledIvt[] {
  const out: InstalledIvt[] = [];
  for (const id of fs.readdirSync(path.join(packageRoot(), 'native-models'))) {
    let m: IvtModel;
    try { m = loadIvtModel(id); } catch { continue; }
    if (m.id === id) out.push({ id, space: m.space, memberSpaces: m.members.map(embeddingSpace) });
  }
  return out;
}

/**
 * The model a case without the meta key (indexed before it was recorded) was indexed with, from what it
 * stores: the distinct embedding spaces (an ensemble's members map back to the ensemble), else the IVT
 * space named in the videos' index keys. Undefined when that is not exactly one installed model (a mixed
 * case, part way through a re-index; a model not installed here): the explicit/default rule then applies.
 */
export function inferIvtModel(embeddingSpaces: string[], indexKeys: string[]): string | undefined {
  const installed = installedIvtModels();
  const spaces = new Set(embeddingSpaces);
  if (spaces.size) {
    const match = installed.filter((m) => m.memberSpaces.length === spaces.size && m.memberSpaces.every((s) => spaces.has(s)));
    return match.length === 1 ? match[0].id : undefined;
  }
  // Index keys are detector+IVT+re-id+attributes+tracker (indexing/job.ts modelKey): the IVT part is an installed model's space.
  const named = new Set<string>();
  for (const key of indexKeys) for (const m of installed) if (key.split('+').includes(m.space)) named.add(m.id);
  return named.size === 1 ? [...named][0] : undefined;
}
