import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PdfDocument, jpegInfo, pdfString, textWidth, toWinAnsi, wrapText, PdfError } from '../../electron/engine/evidence/pdf';

test('WinAnsi: Latin-1 and typographic characters map, controls become spaces, the rest "?"', () => {
  assert.equal(toWinAnsi('café'), 'caf\u00e9');
  assert.equal(toWinAnsi('€ “q” – —'), '\x80 \x93q\x94 \x96 \x97');
  assert.equal(toWinAnsi('a\u0000b\u0007c\u001bd'), 'a b c d');
  assert.equal(toWinAnsi('中文 😀'), '?? ?');
});

test('PDF strings escape parentheses and backslashes and write non-ASCII as octal', () => {
  assert.equal(pdfString('a(b)c\\d'), '(a\\(b\\)c\\\\d)');
  assert.equal(pdfString('caf\u00e9'), '(caf\\351)');
  assert.equal(pdfString(toWinAnsi(') Tj ET BT')), '(\\) Tj ET BT)');
});

test('wrapping keeps every line inside the width and breaks over-long words', () => {
  const text = `word ${'x'.repeat(300)} and more words ${'y '.repeat(100)}\nnew paragraph`;
  const lines = wrapText(text, 10, 200);
  for (const l of lines) assert.ok(textWidth(l, 10) <= 200, `${l} is ${textWidth(l, 10)} wide`);
  assert.equal(lines.join('').replace(/\s/g, ''), text.replace(/\s/g, ''));
  assert.ok(lines.includes('new paragraph'));
});

test('Helvetica widths: "i" is narrower than "W"', () => {
  assert.ok(textWidth('i', 10) < textWidth('W', 10));
  assert.equal(textWidth('0123456789', 10), 55.6);
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
  assert.match(s, new RegExp(`page ${pages} of ${pages}`));
});
