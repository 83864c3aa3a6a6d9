// The human-readable report of a bundle (report.pdf): case, investigator, queries, and per item the
// thumbnail, camera, original file and hash, source and wall-clock times, score, note and models.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest, ManifestItem } from './manifestTypes';
import { PdfDocument } from './pdf';

/** 3725.5 -> "01:02:05.500" (source times in the report and burned into exported frames). */
export function hms(t: number): string {
  const ms = Math.round(Math.max(0, t) * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}
const secondsText = (t: number): string => `${hms(t)} (${t.toFixed(3)} s)`;

export async function renderReport(m: Manifest, bundleDir: string): Promise<Buffer> {
  const doc = new PdfDocument({
    title: `Sightline evidence report - case ${m.case.caseNumber || '(no number)'}`,
    footer: `Sightline ${m.tool.version} - case ${m.case.caseNumber || '(no number)'} - exported ${m.createdAt}`,
  });
  doc.text('Sightline evidence report', { size: 18, bold: true, gapAfter: 6 });
  doc.field('Case number', m.case.caseNumber);
  doc.field('Case title', m.case.title);
  doc.field('Investigator', m.case.investigator);
  doc.field('Exported by', m.user);
  doc.field('Exported at (UTC)', m.createdAt);
  doc.field('Tool', `${m.tool.name} ${m.tool.version}`);
  doc.field('Models', m.models.map((x) => `${x.id} ${x.version}`).join(', '));
  doc.field('Items', `${m.items.length} exported${m.refused.length ? `, ${m.refused.length} refused (listed at the end)` : ''}`);
  doc.field('Audit log', `${m.audit.entries} entries, chain ${m.audit.chainVerified ? 'verified' : `BROKEN: ${m.audit.problems.join('; ')}`}; newest entry ${m.audit.headSeq}, hash ${m.audit.headHash}`);
  doc.space(6);
  doc.text('Search descriptions', { size: 11, bold: true });
  if (m.queries.length === 0) doc.text('(none recorded)', { indent: 10 });
  for (const q of m.queries) doc.text(`"${q}"`, { indent: 10 });
  doc.space(6);
  doc.text('Verifying this bundle', { size: 11, bold: true });
  doc.text('Every file is listed with its SHA-256 in SHA256SUMS (check with "sha256sum -c SHA256SUMS" in the bundle folder) and in manifest.json. "sightline verify <bundle>" checks both and reports missing, extra or changed files. Times are seconds from the start of the original file; wall-clock times are UTC.', { indent: 10, size: 9 });

  const models = m.models.map((x) => `${x.id} ${x.version}`).join(', ');
  m.items.forEach((item, i) => renderItem(doc, item, i + 1, bundleDir, models));

  if (m.refused.length) {
    doc.rule(10);
    doc.text('Bookmarks not exported', { size: 12, bold: true, gapAfter: 4 });
    for (const r of m.refused) doc.field(`Bookmark ${r.bookmarkId}`, r.reason);
  }
  return doc.toBuffer();
}

function renderItem(doc: PdfDocument, it: ManifestItem, n: number, bundleDir: string, models: string): void {
  // One item per page: an exhibit that never straddles a page break is easier to cite.
  doc.addPage();
  doc.text(`Item ${n} - bookmark ${it.bookmarkId}, sighting ${it.sightingId}`, { size: 12, bold: true, gapAfter: 4 });
  doc.image(fs.readFileSync(path.join(bundleDir, it.files.thumbnail.path)), 320, 200);
  doc.field('Camera', it.camera || '(not set)');
  doc.field('Original file', it.source.fileName);
  doc.field('Original path', it.source.path);
  doc.field('Original SHA-256', `${it.source.sha256} (re-verified ${it.source.sha256VerifiedAt})`);
  doc.field('Source time', `${secondsText(it.sighting.timeS)}; sighting ${secondsText(it.sighting.startS)} to ${secondsText(it.sighting.endS)}`);
  doc.field('Wall-clock (UTC)', it.wallClock.time ? `${it.wallClock.time} - from ${it.wallClock.basis}` : 'unknown: no clock correction and no creation time in the file');
  doc.field('Bounding box', `x ${it.sighting.bbox[0]}, y ${it.sighting.bbox[1]}, w ${it.sighting.bbox[2]}, h ${it.sighting.bbox[3]} px (frame ${it.source.width}x${it.source.height})`);
  doc.field('Score', it.score === null ? '(bookmarked without a search)' : it.score.toFixed(4));
  doc.field('Query', it.query ?? '(none)');
  doc.field('Note', it.note);
  doc.field('Models', `${models}; this video was indexed with ${it.indexModels ?? '(not recorded)'}`);
  const c = it.files.originalClip;
  doc.field('Original clip', `${c.path}: stream copy (${c.container}), ${secondsText(c.actualStartS)} to ${secondsText(c.actualEndS)} (starts on the keyframe before the requested ${secondsText(c.requestedStartS)})`);
  const a = it.files.annotatedClip;
  doc.field('Annotated clip', `${a.path}: H.264, ${secondsText(a.startS)} to ${secondsText(a.endS)}, box${a.timestampBurnedIn ? ` and ${a.clock} burned in` : ' only (this ffmpeg cannot draw text)'}`);
  doc.field('Snapshots', `${it.files.snapshot.path} (${it.files.snapshot.width}x${it.files.snapshot.height}, unmarked), ${it.files.snapshotAnnotated.path}`);
}
