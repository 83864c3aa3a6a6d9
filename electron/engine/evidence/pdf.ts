// A small PDF 1.4 writer for the evidence report: A4 pages, flowing Unicode text with word wrapping
// in an embedded TrueType font (a subset of DejaVu Sans as a CIDFontType2 with Identity-H encoding
// and a ToUnicode map, so names and notes in any script the font covers print and copy as written),
// embedded JPEG images (DCTDecode, so the JPEG bytes go in unchanged).
// Written here rather than pulled from npm so every byte of a court exhibit comes from code we own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { packageRoot } from '../vision/manifest';
import { TrueTypeFont } from './truetype';

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

/** Escapes a PDF literal string of ASCII text: (, ) and \\ are escaped, anything else as octal. */
export function pdfString(ascii: string): string {
  let out = '(';
  for (let i = 0; i < ascii.length; i++) {
    const c = ascii.charCodeAt(i);
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += '\\' + ascii[i];
    else if (c < 0x20 || c > 0x7e) out += '\\' + (c & 0xff).toString(8).padStart(3, '0');
    else out += ascii[i];
  }
  return out + ')';
}

/** A PDF text string for metadata (document title): UTF-16BE with a byte-order mark, as hex. */
export function pdfTextString(text: string): string {
  const units: string[] = ['FEFF'];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase());
  return `<${units.join('')}>`;
}

let defaultFont: TrueTypeFont | null = null;
/** DejaVu Sans, vendored in resources/fonts (see its README and LICENSE). */
export function reportFont(): TrueTypeFont {
  if (!defaultFont) {
    const file = path.join(packageRoot(), 'resources', 'fonts', 'DejaVuSans.ttf');
    let data: Buffer;
    try { data = fs.readFileSync(file); } catch (e) { throw new PdfError(`report font missing: ${file} (${(e as Error).message})`); }
    defaultFont = new TrueTypeFont(data, file);
  }
  return defaultFont;
}

/** Text as it is drawn: control characters become spaces (a tab four), nothing else is changed. */
export function printable(text: string): string {
  return text.replace(/\t/g, '    ').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Width in points of text in the report font. */
export function textWidth(text: string, size: number, font: TrueTypeFont = reportFont()): number {
  let w = 0;
  for (const ch of text) w += font.advance(font.glyph(ch.codePointAt(0)!));
  return (w * size) / 1000;
}

/** Splits text into lines no wider than maxWidth: at spaces where possible, mid-word when a word alone is too wide. */
export function wrapText(text: string, size: number, maxWidth: number, font: TrueTypeFont = reportFont()): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n').map(printable)) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (textWidth(candidate, size, font) <= maxWidth) { line = candidate; continue; }
      if (line !== '') lines.push(line);
      // A word wider than the line (a hash, a pasted blob) is broken by character (never inside a surrogate pair).
      let rest = [...word];
      while (textWidth(rest.join(''), size, font) > maxWidth) {
        let n = 1;
        while (n < rest.length && textWidth(rest.slice(0, n + 1).join(''), size, font) <= maxWidth) n++;
        lines.push(rest.slice(0, n).join(''));
        rest = rest.slice(n);
      }
      line = rest.join('');
    }
    lines.push(line);
  }
  return lines;
}

interface Page { ops: string[] }
interface Image { name: string; jpeg: Buffer; info: JpegInfo }

export interface PdfOptions {
  title?: string;
  /** The TrueType font for all text (default: the vendored DejaVu Sans). */
  font?: TrueTypeFont;
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
  /** Glyphs drawn so far, and the text each stands for (for the ToUnicode map). */
  private glyphs = new Map<number, string>();
  private readonly font: TrueTypeFont;
  readonly width = A4_W - 2 * MARGIN;

  constructor(private readonly opts: PdfOptions = {}) {
    this.font = opts.font ?? reportFont();
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
    for (const line of wrapText(text, size, this.width - indent, this.font)) {
      this.ensureSpace(leading);
      this.y -= leading;
      if (line !== '') this.page.ops.push(this.textOp(line, MARGIN + indent, this.y + size * 0.22, size, bold, opts.color));
    }
    this.y -= opts.gapAfter ?? 0;
  }

  /** "Label: value" with the value wrapped in a column right of the label. */
  field(label: string, value: string, size = 9.5, color?: [number, number, number]): void {
    const labelW = 130;
    const leading = size * 1.25;
    const lines = wrapText(value === '' ? '-' : value, size, this.width - labelW, this.font);
    const labelLines = wrapText(label, size, labelW - 6, this.font);
    for (let i = 0; i < Math.max(lines.length, labelLines.length); i++) {
      this.ensureSpace(leading);
      this.y -= leading;
      const base = this.y + size * 0.22;
      if (labelLines[i]) this.page.ops.push(this.textOp(labelLines[i], MARGIN, base, size, true, color));
      if (lines[i]) this.page.ops.push(this.textOp(lines[i], MARGIN + labelW, base, size, false, color));
    }
  }

  /** Embeds a JPEG scaled to fit maxWidth x maxHeight points (never enlarged past 1 px = 1 pt). */
  image(jpeg: Buffer, maxWidth: number, maxHeight: number, gapAfter = 6): void {
    this.imageRow([{ jpeg, maxWidth, maxHeight }], gapAfter);
  }

  /**
   * JPEGs side by side, each scaled to fit its box (never enlarged past 1 px = 1 pt), each with an
   * optional caption under it; the row starts a new page when it does not fit.
   */
  imageRow(cells: { jpeg: Buffer; maxWidth: number; maxHeight: number; caption?: string }[], gapAfter = 6, gap = 12): void {
    const placed = cells.map((c) => {
      const info = jpegInfo(c.jpeg);
      if (info.components !== 1 && info.components !== 3) throw new PdfError(`unsupported JPEG with ${info.components} components`);
      const scale = Math.min(c.maxWidth / info.width, c.maxHeight / info.height, 1);
      return { ...c, info, w: info.width * scale, h: info.height * scale };
    });
    const captionSize = 8;
    const hasCaption = placed.some((c) => c.caption);
    const rowH = Math.max(...placed.map((c) => c.h)) + (hasCaption ? captionSize * 1.6 : 0);
    this.ensureSpace(rowH + gapAfter);
    const top = this.y;
    let x = MARGIN;
    for (const c of placed) {
      const name = `Im${this.images.length + 1}`;
      this.images.push({ name, jpeg: c.jpeg, info: c.info });
      const bottom = top - c.h;
      this.page.ops.push(`q ${num(c.w)} 0 0 ${num(c.h)} ${num(x)} ${num(bottom)} cm /${name} Do Q`);
      if (c.caption) {
        const line = wrapText(c.caption, captionSize, Math.max(c.w, 120), this.font)[0] ?? '';
        this.page.ops.push(this.textOp(line, x, bottom - captionSize * 1.2, captionSize, false, [0.3, 0.3, 0.3]));
      }
      x += c.w + gap;
    }
    this.y = top - rowH - gapAfter;
  }

  /** A box with a tinted background around a block of text (warnings, caveats). */
  callout(text: string, opts: { size?: number; fill?: [number, number, number]; bold?: boolean } = {}): void {
    const size = opts.size ?? 9.5;
    const leading = size * 1.25;
    const pad = 6;
    const lines = wrapText(text, size, this.width - 2 * pad, this.font);
    const h = lines.length * leading + 2 * pad;
    this.ensureSpace(h + 4);
    const top = this.y;
    const fill = opts.fill ?? [1, 0.93, 0.8];
    this.page.ops.push(`q ${fill.map(num).join(' ')} rg ${num(MARGIN)} ${num(top - h)} ${num(this.width)} ${num(h)} re f Q`);
    this.y -= pad;
    for (const line of lines) {
      this.y -= leading;
      if (line !== '') this.page.ops.push(this.textOp(line, MARGIN + pad, this.y + size * 0.22, size, opts.bold ?? false));
    }
    this.y = top - h - 4;
  }

  /** Horizontal rule across the text column. */
  rule(gap = 6): void {
    this.ensureSpace(2 * gap);
    this.y -= gap;
    this.page.ops.push(`0.6 G 0.5 w ${num(MARGIN)} ${num(this.y)} m ${num(A4_W - MARGIN)} ${num(this.y)} l S 0 G`);
    this.y -= gap;
  }

  space(points: number): void { this.y -= points; }

  /**
   * One line of text as glyph ids (Identity-H: two bytes per glyph, hex, so nothing typed by a user
   * can break the content stream). Bold is the regular face drawn with a thin outline.
   */
  private textOp(text: string, x: number, y: number, size: number, bold: boolean, color?: [number, number, number]): string {
    let hex = '';
    for (const ch of printable(text)) {
      const gid = this.font.glyph(ch.codePointAt(0)!);
      if (!this.glyphs.has(gid)) this.glyphs.set(gid, gid === 0 ? '\ufffd' : ch);
      hex += gid.toString(16).padStart(4, '0');
    }
    const rgb = color ?? [0, 0, 0];
    const paint = `${rgb.map(num).join(' ')} rg ${rgb.map(num).join(' ')} RG ${bold ? `2 Tr ${num(size * 0.02)} w` : '0 Tr'}`;
    return `q ${paint} BT /F1 ${num(size)} Tf ${num(x)} ${num(y)} Td <${hex}> Tj ET Q`;
  }

  /** The font objects: Type0 (Identity-H) → CIDFontType2 → descriptor → subset FontFile2; ToUnicode. */
  private fontObjects(add: (o: string | Buffer) => number): number {
    const f = this.font;
    const em = (v: number): number => Math.round((v * 1000) / f.metrics.unitsPerEm);
    const used = [...this.glyphs.keys()].sort((a, b) => a - b);
    // A subset tag from the glyphs used (the PDF convention: six capital letters, then "+").
    let h = 0;
    for (const g of used) h = (h * 31 + g) >>> 0;
    const tag = Array.from({ length: 6 }, (_, i) => String.fromCharCode(65 + (Math.floor(h / 26 ** i) % 26))).join('');
    const name = `${tag}+DejaVuSans`;
    const fontFile = f.subset(used);
    const packed = deflateSync(fontFile);
    const file = add(stream(`/Length1 ${fontFile.length} /Filter /FlateDecode`, packed));
    const [x0, y0, x1, y1] = f.metrics.bbox.map(em);
    const descriptor = add(`<< /Type /FontDescriptor /FontName /${name} /Flags 32 /FontBBox [${x0} ${y0} ${x1} ${y1}] /ItalicAngle 0 /Ascent ${em(f.metrics.ascent)} /Descent ${em(f.metrics.descent)} /CapHeight ${em(f.metrics.capHeight)} /StemV 80 /FontFile2 ${file} 0 R >>`);
    const widths = used.map((g) => `${g} [${Math.round(f.advance(g))}]`).join(' ');
    const cidFont = add(`<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /DW 1000 /W [${widths}] /CIDToGIDMap /Identity >>`);
    const toUnicode = add(stream('', Buffer.from(toUnicodeCMap(this.glyphs), 'latin1')));
    return add(`<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H /DescendantFonts [${cidFont} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
  }

  toBuffer(): Buffer {
    const objects: (string | Buffer)[] = [];
    const add = (o: string | Buffer): number => { objects.push(o); return objects.length; };
    const catalog = add('');
    const pagesObj = add('');
    const imageRefs = this.images.map((im) => {
      const dict = `/Type /XObject /Subtype /Image /Width ${im.info.width} /Height ${im.info.height} /ColorSpace /${im.info.components === 1 ? 'DeviceGray' : 'DeviceRGB'} /BitsPerComponent 8 /Filter /DCTDecode`;
      return { name: im.name, ref: add(stream(dict, im.jpeg)) };
    });
    const xobjects = imageRefs.length ? `/XObject << ${imageRefs.map((r) => `/${r.name} ${r.ref} 0 R`).join(' ')} >>` : '';
    const total = this.pages.length;
    // Footers first, so their glyphs are in the font subset.
    const contents = this.pages.map((p, i) => {
      const footer = `${this.opts.footer ? `${this.opts.footer}  -  ` : ''}page ${i + 1} of ${total}`;
      return [...p.ops, ...wrapText(footer, 8, this.width, this.font).slice(0, 1).map((l) => this.textOp(l, MARGIN, MARGIN - 10, 8, false, [0.35, 0.35, 0.35]))].join('\n');
    });
    const font = this.fontObjects(add);
    const pageRefs = contents.map((c) => {
      const content = Buffer.from(c, 'latin1');
      const contentRef = add(stream('', content));
      return add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${num(A4_W)} ${num(A4_H)}] /Resources << /Font << /F1 ${font} 0 R >> ${xobjects} >> /Contents ${contentRef} 0 R >>`);
    });
    objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
    objects[pagesObj - 1] = `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${total} >>`;
    const info = add(`<< /Title ${pdfTextString(this.opts.title ?? '')} /Producer (Sightline) >>`);

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

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<< ${dict}${dict ? ' ' : ''}/Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
}

/** ToUnicode CMap: each glyph id back to the text it was drawn for (UTF-16BE). */
function toUnicodeCMap(glyphs: Map<number, string>): string {
  const utf16 = (s: string): string => [...Array(s.length).keys()].map((i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('');
  const entries = [...glyphs.entries()].sort((a, b) => a[0] - b[0]).map(([g, t]) => `<${g.toString(16).padStart(4, '0')}> <${utf16(t)}>`);
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar`);
  }
  return ['/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def', '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange', ...blocks, 'endcmap', 'CMapName currentdict /CMapResource defineresource pop', 'end', 'end'].join('\n');
}

function num(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}
