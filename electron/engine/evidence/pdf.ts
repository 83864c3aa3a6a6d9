// A small PDF 1.4 writer for the evidence report: A4 pages, flowing Helvetica text with WinAnsi
// encoding and word wrapping, embedded JPEG images (DCTDecode, so the JPEG bytes go in unchanged).
// Written here rather than pulled from npm so every byte of a court exhibit comes from code we own.

export interface JpegInfo { width: number; height: number; components: number }

export class PdfError extends Error {}

/** Reads the frame size from a JPEG's SOF marker (what a PDF image dictionary must state). */
export function jpegInfo(jpeg: Buffer): JpegInfo {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new PdfError('not a JPEG (no SOI marker)');
  let i = 2;
  while (i + 4 <= jpeg.length) {
    if (jpeg[i] !== 0xff) throw new PdfError(`corrupt JPEG: expected a marker at byte ${i}`);
    const marker = jpeg[i + 1];
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
    const len = jpeg.readUInt16BE(i + 2);
    // SOF0..SOF15 except DHT (c4), JPG (c8), DAC (cc)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 >= jpeg.length) break;
      return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7), components: jpeg[i + 9] };
    }
    i += 2 + len;
  }
  throw new PdfError('corrupt JPEG: no frame header (SOF) found');
}

// Unicode -> WinAnsiEncoding byte for the 0x80..0x9F block; Latin-1 covers 0xA0..0xFF unchanged.
const WIN_ANSI_HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/**
 * Maps text to WinAnsi bytes (one byte per char, as a latin1 string). Control characters become
 * spaces and anything the standard fonts cannot show becomes '?', so nothing typed by a user can
 * break the content stream.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) out += ' ';
    else if (cp < 0x7f || (cp >= 0xa0 && cp <= 0xff)) out += ch;
    else if (WIN_ANSI_HIGH[cp] !== undefined) out += String.fromCharCode(WIN_ANSI_HIGH[cp]);
    else out += '?';
  }
  return out;
}

/** Escapes a WinAnsi string for a PDF literal string: (, ) and \ are escaped, non-ASCII as octal. */
export function pdfString(winAnsi: string): string {
  let out = '(';
  for (let i = 0; i < winAnsi.length; i++) {
    const c = winAnsi.charCodeAt(i);
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += '\\' + winAnsi[i];
    else if (c < 0x20 || c > 0x7e) out += '\\' + c.toString(8).padStart(3, '0');
    else out += winAnsi[i];
  }
  return out + ')';
}

// Advance widths (1/1000 em) of the standard-14 fonts for ASCII 32..126 (Adobe AFM).
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
  556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
  611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/** Width in points of WinAnsi text; characters outside ASCII use a wide default so lines never overflow. */
export function textWidth(winAnsi: string, size: number, bold = false): number {
  const table = bold ? HELVETICA_BOLD : HELVETICA;
  let w = 0;
  for (let i = 0; i < winAnsi.length; i++) {
    const c = winAnsi.charCodeAt(i);
    w += c >= 32 && c <= 126 ? table[c - 32] : 722;
  }
  return (w * size) / 1000;
}

/** Splits text into lines no wider than maxWidth: at spaces where possible, mid-word when a word alone is too wide. */
export function wrapText(text: string, size: number, maxWidth: number, bold = false): string[] {
  const lines: string[] = [];
  for (const paragraph of toWinAnsiLines(text)) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (textWidth(candidate, size, bold) <= maxWidth) { line = candidate; continue; }
      if (line !== '') lines.push(line);
      // A word wider than the line (a hash, a pasted blob) is broken by character.
      let rest = word;
      while (textWidth(rest, size, bold) > maxWidth) {
        let n = 1;
        while (n < rest.length && textWidth(rest.slice(0, n + 1), size, bold) <= maxWidth) n++;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

function toWinAnsiLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => toWinAnsi(l.replace(/\t/g, '    ')));
}

interface Page { ops: string[] }
interface Image { name: string; jpeg: Buffer; info: JpegInfo }

export interface PdfOptions {
  title?: string;
  /** Printed at the bottom of every page together with "page n of N". */
  footer?: string;
}

const A4_W = 595.28;
const A4_H = 841.89;
const MARGIN = 50;
const FOOTER_SPACE = 28;

/**
 * Flowing layout: text and images are placed top-down from a cursor, and a new page starts when
 * the next block does not fit.
 */
export class PdfDocument {
  private pages: Page[] = [];
  private images: Image[] = [];
  private y = 0;
  readonly width = A4_W - 2 * MARGIN;

  constructor(private readonly opts: PdfOptions = {}) {
    this.addPage();
  }

  get pageCount(): number { return this.pages.length; }

  addPage(): void {
    this.pages.push({ ops: [] });
    this.y = A4_H - MARGIN;
  }

  private get page(): Page { return this.pages[this.pages.length - 1]; }

  /** Starts a new page unless `height` points still fit above the footer. */
  ensureSpace(height: number): void {
    if (this.y - height < MARGIN + FOOTER_SPACE) this.addPage();
  }

  /** Wrapped paragraph; indent shifts it right (used for label/value pairs). */
  text(text: string, opts: { size?: number; bold?: boolean; indent?: number; gapAfter?: number; color?: [number, number, number] } = {}): void {
    const size = opts.size ?? 10;
    const bold = opts.bold ?? false;
    const indent = opts.indent ?? 0;
    const leading = size * 1.25;
    for (const line of wrapText(text, size, this.width - indent, bold)) {
      this.ensureSpace(leading);
      this.y -= leading;
      if (line !== '') this.page.ops.push(textOp(line, MARGIN + indent, this.y + size * 0.22, size, bold, opts.color));
    }
    this.y -= opts.gapAfter ?? 0;
  }

  /** "Label: value" with the value wrapped in a column right of the label. */
  field(label: string, value: string, size = 9.5): void {
    const labelW = 130;
    const leading = size * 1.25;
    const lines = wrapText(value === '' ? '-' : value, size, this.width - labelW, false);
    lines.forEach((line, i) => {
      this.ensureSpace(leading);
      this.y -= leading;
      const base = this.y + size * 0.22;
      if (i === 0) this.page.ops.push(textOp(toWinAnsi(label), MARGIN, base, size, true));
      if (line !== '') this.page.ops.push(textOp(line, MARGIN + labelW, base, size, false));
    });
  }

  /** Embeds a JPEG scaled to fit maxWidth x maxHeight points (never enlarged past 1 px = 1 pt). */
  image(jpeg: Buffer, maxWidth: number, maxHeight: number, gapAfter = 6): void {
    const info = jpegInfo(jpeg);
    if (info.components !== 1 && info.components !== 3) throw new PdfError(`unsupported JPEG with ${info.components} components`);
    const scale = Math.min(maxWidth / info.width, maxHeight / info.height, 1);
    const w = info.width * scale;
    const h = info.height * scale;
    this.ensureSpace(h + gapAfter);
    const name = `Im${this.images.length + 1}`;
    this.images.push({ name, jpeg, info });
    this.y -= h;
    this.page.ops.push(`q ${num(w)} 0 0 ${num(h)} ${num(MARGIN)} ${num(this.y)} cm /${name} Do Q`);
    this.y -= gapAfter;
  }

  /** Horizontal rule across the text column. */
  rule(gap = 6): void {
    this.ensureSpace(2 * gap);
    this.y -= gap;
    this.page.ops.push(`0.6 G 0.5 w ${num(MARGIN)} ${num(this.y)} m ${num(A4_W - MARGIN)} ${num(this.y)} l S 0 G`);
    this.y -= gap;
  }

  space(points: number): void { this.y -= points; }

  toBuffer(): Buffer {
    const objects: (string | Buffer)[] = [];
    const add = (o: string | Buffer): number => { objects.push(o); return objects.length; };
    const catalog = add('');
    const pagesObj = add('');
    const fontRegular = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
    const fontBold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
    const imageRefs = this.images.map((im) => {
      const dict = `<< /Type /XObject /Subtype /Image /Width ${im.info.width} /Height ${im.info.height} /ColorSpace /${im.info.components === 1 ? 'DeviceGray' : 'DeviceRGB'} /BitsPerComponent 8 /Filter /DCTDecode /Length ${im.jpeg.length} >>`;
      return { name: im.name, ref: add(Buffer.concat([Buffer.from(`${dict}\nstream\n`, 'latin1'), im.jpeg, Buffer.from('\nendstream', 'latin1')])) };
    });
    const xobjects = imageRefs.length ? `/XObject << ${imageRefs.map((r) => `/${r.name} ${r.ref} 0 R`).join(' ')} >>` : '';
    const total = this.pages.length;
    const pageRefs = this.pages.map((p, i) => {
      const footer = `${this.opts.footer ? `${this.opts.footer}  -  ` : ''}page ${i + 1} of ${total}`;
      const ops = [...p.ops, textOp(toWinAnsi(footer), MARGIN, MARGIN - 10, 8, false, [0.35, 0.35, 0.35])];
      const content = Buffer.from(ops.join('\n'), 'latin1');
      const contentRef = add(Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream', 'latin1')]));
      return add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${num(A4_W)} ${num(A4_H)}] /Resources << /Font << /F1 ${fontRegular} 0 R /F2 ${fontBold} 0 R >> ${xobjects} >> /Contents ${contentRef} 0 R >>`);
    });
    objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
    objects[pagesObj - 1] = `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${total} >>`;
    const info = add(`<< /Title ${pdfString(toWinAnsi(this.opts.title ?? ''))} /Producer (Sightline) >>`);

    const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    let offset = chunks[0].length;
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(offset);
      const body = typeof o === 'string' ? Buffer.from(o, 'latin1') : o;
      const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
      chunks.push(chunk);
      offset += chunk.length;
    });
    const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
    chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(chunks);
  }
}

function num(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

function textOp(winAnsi: string, x: number, y: number, size: number, bold: boolean, color?: [number, number, number]): string {
  const rgb = color ? `${color.map(num).join(' ')} rg ` : '';
  const reset = color ? ' 0 g' : '';
  return `BT ${rgb}/${bold ? 'F2' : 'F1'} ${num(size)} Tf ${num(x)} ${num(y)} Td ${pdfString(winAnsi)} Tj ET${reset}`;
}
