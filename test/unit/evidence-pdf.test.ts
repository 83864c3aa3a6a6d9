import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PdfDocument, jpegInfo, pdfString, pdfTextString, printable, reportFont, textWidth, wrapText, PdfError } from '../../electron/engine/evidence/pdf';

test('text: controls become spaces, everything else is kept as written (no "?" for non-Latin-1)', () => {
  assert.equal(printable('a\u0000b\u0007c\u001bd\u0085e'), 'a b c d e');
  assert.equal(printable('café “q” – Камера 1 Ωμέγα 中文 😀'), 'café “q” – Камера 1 Ωμέγα 中文 😀');
  const font = reportFont();
  // DejaVu Sans has Latin, Cyrillic, Greek and a few emoticons (😀); no CJK and most emoji not (those print as .notdef).
  for (const ch of 'éКаΩμ€“😀') assert.notEqual(font.glyph(ch.codePointAt(0)!), 0, ch);
  assert.equal(font.glyph('中'.codePointAt(0)!), 0);
  assert.equal(font.glyph('🚓'.codePointAt(0)!), 0);
});

test('PDF strings escape parentheses and backslashes and write non-ASCII as octal; titles are UTF-16BE', () => {
  assert.equal(pdfString('a(b)c\\d'), '(a\\(b\\)c\\\\d)');
  assert.equal(pdfString('caf\u00e9'), '(caf\\351)');
  assert.equal(pdfString(') Tj ET BT'), '(\\) Tj ET BT)');
  assert.equal(pdfTextString('Ка'), '<FEFF041A0430>');
});

test('user text cannot break the content stream: it is written as glyph ids in hex', () => {
  const doc = new PdfDocument();
  doc.text(') Tj ET BT /F9 99 Tf (pwned');
  const s = doc.toBuffer().toString('latin1');
  assert.doesNotMatch(s, /pwned|\/F9/);
});

test('wrapping keeps every line inside the width and breaks over-long words', () => {
  const text = `word ${'x'.repeat(300)} and more words ${'y '.repeat(100)}\nnew paragraph`;
  const lines = wrapText(text, 10, 200);
  for (const l of lines) assert.ok(textWidth(l, 10) <= 200, `${l} is ${textWidth(l, 10)} wide`);
  const cyr = wrapText('Камера '.repeat(40), 9, 150);
  for (const l of cyr) assert.ok(textWidth(l, 9) <= 150);
  assert.ok(cyr.length > 1);
  assert.equal(lines.join('').replace(/\s/g, ''), text.replace(/\s/g, ''));
  assert.ok(lines.includes('new paragraph'));
});

test('DejaVu Sans widths from hmtx: "i" is narrower than "W"; digits are 1303/2048 em', () => {
  assert.ok(textWidth('i', 10) < textWidth('W', 10));
  // 1303 font units of 2048 per digit (DejaVu Sans 2.37 hmtx, the same as `ttx -t hmtx` shows).
  assert.ok(Math.abs(textWidth('0123456789', 10) - (10 * 1303 * 10) / 2048) < 1e-9);
});

// A minimal valid baseline JPEG header: SOI, SOF0 for 3x2 px, 3 components.
const sof = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 0xff, 0xd9]);

test('JPEG size comes from the SOF marker, skipping other segments', () => {
  assert.deepEqual(jpegInfo(sof), { width: 3, height: 2, components: 3 });
  assert.throws(() => jpegInfo(Buffer.from('not a jpeg')), PdfError);
  assert.throws(() => jpegInfo(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), /no frame header/);
});

test('the document has a valid xref and the right page count', () => {
  const doc = new PdfDocument({ title: 'T', footer: 'F' });
  doc.text('Hello (world)', { size: 14, bold: true });
  doc.image(sof, 100, 100);
  for (let i = 0; i < 200; i++) doc.field(`Line ${i}`, 'value');
  const pdf = doc.toBuffer();
  const s = pdf.toString('latin1');
  assert.ok(s.startsWith('%PDF-1.4'));
  assert.ok(s.trimEnd().endsWith('%%EOF'));
  const pages = doc.pageCount;
  assert.ok(pages >= 2);
  assert.match(s, new RegExp(`/Count ${pages} `));
  // every xref offset points at "n 0 obj"
  const startxref = Number(/startxref\n(\d+)/.exec(s)![1]);
  const table = s.slice(startxref).split('\n').slice(3).filter((l) => / n $/.test(l));
  table.forEach((l, i) => assert.equal(s.slice(Number(l.slice(0, 10)), Number(l.slice(0, 10)) + `${i + 1} 0 obj`.length), `${i + 1} 0 obj`));
  // Text is drawn as glyph ids: the footer is read back through the ToUnicode map.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-pdf-')), 'x.pdf');
  fs.writeFileSync(file, pdf);
  assert.match(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }), new RegExp(`F - page ${pages} of ${pages}`));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('the embedded font is a subset that poppler reads back: text extracts as written, glyphs render', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-pdf-'));
  try {
    const doc = new PdfDocument({ title: 'Дело 17', footer: 'Sightline – Ωmega' });
    const note = 'Note: Подозреваемый в красной куртке; Ελληνικά: άνδρας με μαύρο σακίδιο; café déjà vu, Łódź, Øresund';
    doc.text('Camera: Камера 1', { bold: true });
    doc.text(note);
    const pdf = doc.toBuffer();
    const file = path.join(dir, 'd.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    assert.ok(text.includes('Camera: Камера 1'), text);
    assert.ok(text.includes(note), text);
    assert.ok(text.includes('Sightline – Ωmega - page 1 of 1'), text);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    assert.match(fonts, /[A-Z]{6}\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    // A subset: far smaller than the 760 kB font.
    assert.ok(pdf.length < 60_000, `${pdf.length} bytes`);
    assert.match(execFileSync('pdfinfo', [file], { encoding: 'utf8' }), /Title:\s+Дело 17/);
    execFileSync('pdftoppm', ['-png', '-r', '40', file, path.join(dir, 'p')]);
    assert.ok(fs.readdirSync(dir).some((f) => f.endsWith('.png')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
