// The human-readable report of a bundle (report.pdf), written for a court: the caveat that results
// are investigative leads; case, investigator, signer; the method (models, versions, measured
// accuracy quoted from the model cards, limits); then one exhibit per page with the person enlarged,
// the full frame with the box, and the continuity of the item (original file, hash, camera, times,
// who bookmarked and who exported).
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

/** The statement every report carries, on its first page and on every exhibit. */
export const LEAD_CAVEAT = 'Investigative lead, not identification. Each item is a place in the footage where software found a person whose appearance resembles a typed description. It does not establish who the person is. Every item must be checked by a person against the original footage before anything is concluded from it.';

const WARN: [number, number, number] = [0.6, 0.1, 0];

export async function renderReport(m: Manifest, bundleDir: string): Promise<Buffer> {
  const caseNo = m.case.caseNumber || '(no number)';
  const doc = new PdfDocument({
    title: `Sightline evidence report - case ${caseNo}`,
    footer: `Sightline ${m.tool.version} - case ${caseNo} - exported ${m.createdAt}`,
  });
  doc.text('Sightline evidence report', { size: 18, bold: true, gapAfter: 6 });
  doc.callout(LEAD_CAVEAT, { bold: true });
  doc.space(4);
  doc.field('Case number', m.case.caseNumber);
  doc.field('Case title', m.case.title);
  doc.field('Investigator', m.case.investigator);
  doc.field('Exported by', m.user);
  doc.field('Exported at (UTC)', m.createdAt);
  doc.field('Tool', `${m.tool.name} ${m.tool.version}`);
  doc.field('Exhibits', `${m.items.map((i) => i.exhibit).join(', ')}${m.refused.length ? `; ${m.refused.length} bookmark(s) refused (listed at the end)` : ''}`);
  doc.field('Signed by', `Ed25519 key, fingerprint ${m.signer.fingerprint}`);
  doc.field('Audit log', `${m.audit.entries} entries, chain ${m.audit.chainVerified ? 'verified' : `BROKEN: ${m.audit.problems.join('; ')}`}; newest entry ${m.audit.headSeq}, hash ${m.audit.headHash}`);
  doc.space(6);
  doc.text('Search descriptions', { size: 11, bold: true });
  if (m.queries.length === 0) doc.text('(none recorded)', { indent: 10 });
  for (const q of m.queries) doc.text(`"${q}"`, { indent: 10 });
  doc.space(6);
  renderMethod(doc, m);
  doc.space(6);
  doc.text('Verifying this bundle', { size: 11, bold: true });
  doc.text(`manifest.json lists every file with its SHA-256 and is signed (manifest.sig, Ed25519) by the key in public-key.pem, fingerprint ${m.signer.fingerprint}. `
    + 'Compare that fingerprint with the one the sender gave you by another channel (this page is inside the bundle and proves nothing by itself). '
    + '"sightline verify <bundle> --fingerprint <hex>" checks every hash and the signature; without Sightline: "sha256sum -c SHA256SUMS" and '
    + '"openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig" in the bundle folder. '
    + 'Times are seconds from the start of the original file; wall-clock times are UTC.', { indent: 10, size: 9 });

  m.items.forEach((item) => renderItem(doc, m, item, bundleDir));

  if (m.refused.length) {
    doc.rule(10);
    doc.text('Bookmarks not exported', { size: 12, bold: true, gapAfter: 4 });
    for (const r of m.refused) doc.field(`Bookmark ${r.bookmarkId}`, r.reason);
  }
  return doc.toBuffer();
}

function renderMethod(doc: PdfDocument, m: Manifest): void {
  doc.text('Method', { size: 11, bold: true });
  doc.text('Sampled frames of each video were searched for people by a detector; each person crop was turned into a vector by the image encoder of a text-image model, '
    + 'detections of one person were linked over time into a sighting, and a typed description, turned into a vector by the same model\'s text encoder, '
    + 'ranked the sightings by similarity (score: cosine similarity of the best-matching crop, not a probability). Models used:', { indent: 10, size: 9, gapAfter: 3 });
  for (const x of m.method) {
    doc.text(`${x.id}@${x.version}`, { indent: 10, size: 9.5, bold: true });
    if (!x.card) { doc.text('No model card for this model on the exporting machine: its accuracy is not stated here.', { indent: 20, size: 9, color: WARN }); continue; }
    doc.text(`Measured accuracy and limits, quoted from its model card (${x.card}):`, { indent: 20, size: 9 });
    for (const q of x.quotes) doc.text(`- ${q}`, { indent: 26, size: 8.5 });
  }
  doc.text('Limits: the figures above come from the footage named in them, not from this case; lighting, camera angle, resolution, compression and crowding change them. '
    + 'A sighting may join two people who cross or stand together, or miss a person the detector did not find; a person who is absent from the results may still be in the footage.',
  { indent: 10, size: 9, gapAfter: 2 });
}

function renderItem(doc: PdfDocument, m: Manifest, it: ManifestItem, bundleDir: string): void {
  // One exhibit per page: an exhibit that never straddles a page break is easier to cite.
  doc.addPage();
  doc.text(`Exhibit ${it.exhibit}`, { size: 14, bold: true });
  doc.text(`bookmark ${it.bookmarkId}, sighting ${it.sightingId} - ${it.camera || 'camera not named'} - ${it.wallClock.time ?? `${secondsText(it.sighting.timeS)} into ${it.source.fileName}`}`, { size: 9.5, gapAfter: 4 });
  const crop = it.files.personCrop;
  doc.imageRow([
    { jpeg: fs.readFileSync(path.join(bundleDir, crop.path)), maxWidth: 170, maxHeight: 250, caption: `Person, enlarged ${crop.scale}x (unmarked)` },
    { jpeg: fs.readFileSync(path.join(bundleDir, it.files.frameJpeg.path)), maxWidth: doc.width - 182, maxHeight: 250, caption: `Full frame at ${hms(it.sighting.timeS)}, box drawn` },
  ]);
  doc.text(LEAD_CAVEAT.split('.')[0] + '.', { size: 8.5, bold: true, color: WARN, gapAfter: 3 });
  if (it.onePerson.passed === false) {
    doc.text(`Warning: this sighting may show more than one person (a detection's appearance matches the sighting's only ${it.onePerson.lowestCosine?.toFixed(2)}, below ${it.onePerson.threshold}). Check every frame before relying on it.`, { size: 8.5, bold: true, color: WARN, gapAfter: 3 });
  }
  if (it.review.status === 'rejected') {
    doc.text(`Rejected in review as "${it.review.reason}" after it was bookmarked.`, { size: 8.5, bold: true, color: WARN, gapAfter: 3 });
  }
  doc.text('Continuity', { size: 10.5, bold: true });
  doc.field('Exhibit', it.exhibit);
  doc.field('Camera', it.camera || '(not set)');
  doc.field('Original file', it.source.fileName);
  doc.field('Original path', it.source.path);
  doc.field('Original SHA-256', `${it.source.sha256} (re-verified ${it.source.sha256VerifiedAt})`);
  doc.field('Wall-clock (UTC)', it.wallClock.time ? `${it.wallClock.time} - from ${it.wallClock.basis}` : 'unknown: no clock correction and no creation time in the file');
  doc.field('Source time', `${secondsText(it.sighting.timeS)}; sighting ${secondsText(it.sighting.startS)} to ${secondsText(it.sighting.endS)}`);
  doc.field('Bookmarked', `by ${it.bookmarkedBy ?? '(not recorded)'} at ${it.createdAt}${it.updatedAt !== it.createdAt ? `, note changed ${it.updatedAt}` : ''}`);
  doc.field('Exported', `by ${m.user} at ${m.createdAt}`);
  doc.field('Review', it.review.status === 'kept' ? 'kept (bookmarked, not rejected)' : `rejected: ${it.review.reason}`);
  doc.field('One-person check', it.onePerson.passed === null
    ? 'not available (indexed before re-identification)'
    : `${it.onePerson.passed ? 'passed' : 'FAILED'}: lowest appearance match ${it.onePerson.lowestCosine?.toFixed(2)} over ${it.onePerson.detections} detection(s), threshold ${it.onePerson.threshold}`);
  doc.field('Note', it.note);
  doc.text('Finding', { size: 10.5, bold: true });
  doc.field('Query', it.query ?? '(none)');
  doc.field('Score', it.score === null ? '(bookmarked without a search)' : it.score.toFixed(4));
  doc.field('Bounding box', `x ${it.sighting.bbox[0]}, y ${it.sighting.bbox[1]}, w ${it.sighting.bbox[2]}, h ${it.sighting.bbox[3]} px (frame ${it.source.width}x${it.source.height}); ${it.sighting.detections} detection(s) in the sighting`);
  doc.field('Models', `${m.models.map((x) => `${x.id}@${x.version}`).join(', ')}; this video was indexed with ${it.indexModels ?? '(not recorded)'}`);
  doc.text('Files', { size: 10.5, bold: true });
  const c = it.files.originalClip;
  doc.field('Original clip', `${c.path}: stream copy (${c.container}), ${secondsText(c.actualStartS)} to ${secondsText(c.actualEndS)} (starts on the keyframe before the requested ${secondsText(c.requestedStartS)})`, 8.5);
  const a = it.files.annotatedClip;
  doc.field('Annotated clip', `${a.path}: H.264, ${secondsText(a.startS)} to ${secondsText(a.endS)}, box${a.timestampBurnedIn ? ` and ${a.clock} burned in` : ' only (this ffmpeg cannot draw text)'}`, 8.5);
  doc.field('Snapshots', `${it.files.snapshot.path} (${it.files.snapshot.width}x${it.files.snapshot.height}, unmarked), ${it.files.snapshotAnnotated.path}, ${crop.path} (region x ${crop.region[0]}, y ${crop.region[1]}, ${crop.region[2]}x${crop.region[3]} px)`, 8.5);
}
