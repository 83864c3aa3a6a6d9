// Just enough of a TrueType font for the report writer: the Unicode → glyph map (cmap 3/10 or 3/1),
// advance widths and metrics, and a subset that keeps every glyph id (so a PDF can use glyph ids as
// CIDs with CIDToGIDMap /Identity) but only the outlines of the glyphs a document uses.

export class FontError extends Error {}

interface Table { offset: number; length: number }

export interface FontMetrics {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  bbox: [number, number, number, number];
}

/** Tables a PDF needs of an embedded TrueType font (PDF 32000-1, 9.9); the rest are left out. */
const SUBSET_TABLES = ['cvt ', 'fpgm', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'prep'];

export class TrueTypeFont {
  private readonly tables = new Map<string, Table>();
  private readonly cmap = new Map<number, number>();
  private readonly advances: number[] = [];
  readonly numGlyphs: number;
  readonly metrics: FontMetrics;

  constructor(private readonly data: Buffer, private readonly file: string) {
    if (data.length < 12) throw new FontError(`${file}: not a TrueType font (too short)`);
    const version = data.readUInt32BE(0);
    if (version !== 0x00010000 && version !== 0x74727565) throw new FontError(`${file}: not a TrueType font (version 0x${version.toString(16)})`);
    const n = data.readUInt16BE(4);
    for (let i = 0; i < n; i++) {
      const r = 12 + i * 16;
      this.tables.set(data.toString('latin1', r, r + 4), { offset: data.readUInt32BE(r + 8), length: data.readUInt32BE(r + 12) });
    }
    for (const t of ['head', 'hhea', 'hmtx', 'maxp', 'cmap', 'loca', 'glyf']) if (!this.tables.has(t)) throw new FontError(`${file}: no "${t}" table`);
    const head = this.table('head').offset;
    const hhea = this.table('hhea').offset;
    this.numGlyphs = data.readUInt16BE(this.table('maxp').offset + 4);
    const os2 = this.tables.get('OS/2');
    const ascent = data.readInt16BE(hhea + 4);
    this.metrics = {
      unitsPerEm: data.readUInt16BE(head + 18),
      ascent,
      descent: data.readInt16BE(hhea + 6),
      capHeight: os2 && data.readUInt16BE(os2.offset) >= 2 ? data.readInt16BE(os2.offset + 88) : ascent,
      bbox: [data.readInt16BE(head + 36), data.readInt16BE(head + 38), data.readInt16BE(head + 40), data.readInt16BE(head + 42)],
    };
    const numberOfHMetrics = data.readUInt16BE(hhea + 34);
    const hmtx = this.table('hmtx').offset;
    for (let g = 0; g < this.numGlyphs; g++) this.advances.push(data.readUInt16BE(hmtx + 4 * Math.min(g, numberOfHMetrics - 1)));
    this.readCmap();
  }

  private table(tag: string): Table {
    const t = this.tables.get(tag);
    if (!t) throw new FontError(`${this.file}: no "${tag}" table`);
    return t;
  }

  /** Prefers the full-Unicode subtable (3,10, format 12), else the BMP one (3,1, format 4). */
  private readCmap(): void {
    const d = this.data;
    const base = this.table('cmap').offset;
    const count = d.readUInt16BE(base + 2);
    let bmp = -1;
    let full = -1;
    for (let i = 0; i < count; i++) {
      const r = base + 4 + i * 8;
      const platform = d.readUInt16BE(r);
      const encoding = d.readUInt16BE(r + 2);
      const at = base + d.readUInt32BE(r + 4);
      if (platform === 3 && encoding === 10 && d.readUInt16BE(at) === 12) full = at;
      if ((platform === 3 && encoding === 1) || platform === 0) if (d.readUInt16BE(at) === 4 && bmp < 0) bmp = at;
    }
    if (full >= 0) {
      const groups = d.readUInt32BE(full + 12);
      for (let i = 0; i < groups; i++) {
        const g = full + 16 + i * 12;
        const start = d.readUInt32BE(g);
        const end = d.readUInt32BE(g + 4);
        const gid = d.readUInt32BE(g + 8);
        for (let c = start; c <= end; c++) this.cmap.set(c, gid + (c - start));
      }
    } else if (bmp >= 0) {
      const segX2 = d.readUInt16BE(bmp + 6);
      const ends = bmp + 14;
      const starts = ends + segX2 + 2;
      const deltas = starts + segX2;
      const ranges = deltas + segX2;
      for (let s = 0; s < segX2 / 2; s++) {
        const end = d.readUInt16BE(ends + 2 * s);
        const start = d.readUInt16BE(starts + 2 * s);
        const delta = d.readInt16BE(deltas + 2 * s);
        const rangeOffset = d.readUInt16BE(ranges + 2 * s);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let gid: number;
          if (rangeOffset === 0) gid = (c + delta) & 0xffff;
          else {
            const at = ranges + 2 * s + rangeOffset + 2 * (c - start);
            gid = d.readUInt16BE(at);
            if (gid !== 0) gid = (gid + delta) & 0xffff;
          }
          if (gid !== 0) this.cmap.set(c, gid);
        }
      }
    } else {
      throw new FontError(`${this.file}: no Unicode cmap subtable`);
    }
  }

  /** Glyph of a code point; 0 (.notdef, drawn as an empty box) when the font lacks it. */
  glyph(codePoint: number): number {
    return this.cmap.get(codePoint) ?? 0;
  }

  /** Advance width in 1/1000 em (PDF text space units). */
  advance(gid: number): number {
    return (this.advances[gid] ?? 0) * 1000 / this.metrics.unitsPerEm;
  }

  /** Glyph outline offsets in glyf (loca), one more than there are glyphs. */
  private loca(): number[] {
    const d = this.data;
    const longFormat = d.readInt16BE(this.table('head').offset + 50) === 1;
    const at = this.table('loca').offset;
    const out: number[] = [];
    for (let g = 0; g <= this.numGlyphs; g++) out.push(longFormat ? d.readUInt32BE(at + 4 * g) : d.readUInt16BE(at + 2 * g) * 2);
    return out;
  }

  /**
   * A font file holding the outlines of `used` glyphs (plus .notdef and the parts of composite
   * glyphs); every other glyph keeps its id but has no outline.
   */
  subset(used: Iterable<number>): Buffer {
    const d = this.data;
    const loca = this.loca();
    const glyf = this.table('glyf').offset;
    const keep = new Set<number>([0]);
    const pending = [...used];
    while (pending.length) {
      const g = pending.pop()!;
      if (g < 0 || g >= this.numGlyphs) continue;
      keep.add(g);
      for (const part of this.components(glyf + loca[g], loca[g + 1] - loca[g])) if (!keep.has(part)) pending.push(part);
    }
    const parts: Buffer[] = [];
    const newLoca = Buffer.alloc(4 * (this.numGlyphs + 1));
    let offset = 0;
    for (let g = 0; g < this.numGlyphs; g++) {
      newLoca.writeUInt32BE(offset, 4 * g);
      if (!keep.has(g)) continue;
      const bytes = d.subarray(glyf + loca[g], glyf + loca[g + 1]);
      const padded = Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
      parts.push(padded);
      offset += padded.length;
    }
    newLoca.writeUInt32BE(offset, 4 * this.numGlyphs);
    const tables = new Map<string, Buffer>();
    for (const tag of SUBSET_TABLES) {
      const t = this.tables.get(tag);
      if (tag === 'glyf') tables.set(tag, Buffer.concat(parts));
      else if (tag === 'loca') tables.set(tag, newLoca);
      else if (t) tables.set(tag, Buffer.from(d.subarray(t.offset, t.offset + t.length)));
    }
    const head = tables.get('head')!;
    head.writeInt16BE(1, 50); // long loca offsets
    head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
    const font = assemble(tables);
    font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, tableOffset(font, 'head') + 8);
    return font;
  }

  /** Glyph ids a composite glyph is made of (none for a simple glyph). */
  private components(at: number, length: number): number[] {
    const d = this.data;
    if (length <= 0 || d.readInt16BE(at) >= 0) return [];
    const out: number[] = [];
    let p = at + 10;
    for (;;) {
      const flags = d.readUInt16BE(p);
      out.push(d.readUInt16BE(p + 2));
      p += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) p += 2;
      else if (flags & 0x0040) p += 4;
      else if (flags & 0x0080) p += 8;
      if (!(flags & 0x0020)) return out;
    }
  }
}

function checksum(b: Buffer): number {
  let sum = 0;
  const padded = b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function tableOffset(font: Buffer, tag: string): number {
  const n = font.readUInt16BE(4);
  for (let i = 0; i < n; i++) if (font.toString('latin1', 12 + i * 16, 16 + i * 16) === tag) return font.readUInt32BE(12 + i * 16 + 8);
  throw new FontError(`no ${tag} table`);
}

/** An sfnt file from tables (sorted by tag, 4-byte aligned, with checksums). */
function assemble(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const header = Buffer.alloc(12 + 16 * n);
  const pow = 2 ** Math.floor(Math.log2(n));
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(pow * 16, 6);
  header.writeUInt16BE(Math.log2(pow), 8);
  header.writeUInt16BE(n * 16 - pow * 16, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const body = tables.get(tag)!;
    const r = 12 + 16 * i;
    header.write(tag, r, 'latin1');
    header.writeUInt32BE(checksum(body), r + 4);
    header.writeUInt32BE(offset, r + 8);
    header.writeUInt32BE(body.length, r + 12);
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}
