// The method section of the report quotes the model cards (docs/model-card-*.md, shipped with the
// app) instead of restating their figures: the passages marked <!-- evidence-report --> ...
// <!-- /evidence-report --> in the card whose title names the model. One source for every number.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../vision/manifest';

export interface ModelMethod {
  id: string;
  version: string;
  /** Card file relative to the app (docs/...), or null when none names this model. */
  card: string | null;
  /** The marked passages, as plain text. */
  quotes: string[];
}

const BEGIN = '<!-- evidence-report -->';
const END = '<!-- /evidence-report -->';

export function modelMethods(models: { id: string; version: string }[], root = packageRoot()): ModelMethod[] {
  const dir = path.join(root, 'docs');
  let cards: { file: string; text: string }[] = [];
  try {
    cards = fs.readdirSync(dir).filter((f) => /^model-card-.*\.md$/.test(f)).sort().map((f) => ({ file: `docs/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  } catch { /* no cards on this machine: every model says so */ }
  return models.map((m) => {
    const card = cards.find((c) => (c.text.split('\n')[0] ?? '').includes(`\`${m.id}\``));
    return { id: m.id, version: m.version, card: card?.file ?? null, quotes: card ? marked(card.text) : [] };
  });
}

/** The marked passages of a card, each as one paragraph of plain text (bullets and table rows kept apart). */
export function marked(markdown: string): string[] {
  const out: string[] = [];
  let rest = markdown;
  for (;;) {
    const a = rest.indexOf(BEGIN);
    if (a < 0) return out;
    const b = rest.indexOf(END, a);
    if (b < 0) return out;
    out.push(...plainText(rest.slice(a + BEGIN.length, b)));
    rest = rest.slice(b + END.length);
  }
}

function plainText(md: string): string[] {
  const paragraphs: string[] = [];
  let current = '';
  const flush = (): void => { if (current.trim()) paragraphs.push(current.trim()); current = ''; };
  const lines = md.split('\n').map((l) => l.trim());
  const separator = (l: string | undefined): boolean => !!l && l.startsWith('|') && l.split('|').slice(1, -1).every((c) => /^\s*:?-+:?\s*$/.test(c));
  for (const [i, line] of lines.entries()) {
    if (separator(line) || separator(lines[i + 1])) continue; // a table's header row and its rule
    if (line === '') { flush(); continue; }
    if (line.startsWith('|')) {
      flush();
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      paragraphs.push(cells.length >= 3 ? `${cells[0]}: ${cells[1]} (${cells.slice(2).join('; ')})` : cells.join(': '));
      continue;
    }
    if (/^[*-] /.test(line)) { flush(); current = line.slice(2); continue; }
    current += ` ${line}`;
  }
  flush();
  return paragraphs.map((p) => p.replace(/\*\*|`/g, '').replace(/\s+/g, ' '));
}
