// electron-builder.yml: the installers, unpacked native modules and bundled ffmpeg the app relies on.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

/** Drops a `#` comment unless the `#` sits inside quotes. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line;
}

/** Parses the YAML subset the config uses: block maps and lists, comments, plain/quoted scalars. */
export function parseYamlSubset(src: string): Yaml {
  const lines = src.split(/\r?\n/)
    .map((raw, i) => ({ raw: stripComment(raw), no: i + 1 }))
    .filter((l) => l.raw.trim() !== '')
    .map((l) => {
      if (/\t/.test(l.raw.match(/^\s*/)![0])) throw new Error(`line ${l.no}: tab indentation`);
      return { indent: l.raw.length - l.raw.trimStart().length, text: l.raw.trim(), no: l.no };
    });
  let i = 0;
  const scalar = (s: string): Yaml => {
    if (/^".*"$/.test(s)) return JSON.parse(s) as string;
    if (/^'.*'$/.test(s)) return s.slice(1, -1).replace(/''/g, "'");
    if (s === 'true' || s === 'false') return s === 'true';
    if (s === 'null' || s === '~') return null;
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    if (/^[[{&*!|>]/.test(s)) throw new Error(`unsupported YAML: ${s}`);
    return s;
  };
  const block = (indent: number): Yaml => {
    if (lines[i].text.startsWith('- ') || lines[i].text === '-') {
      const out: Yaml[] = [];
      while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('-')) {
        const rest = lines[i].text.slice(1).trim();
        if (/^[\w.-]+:(\s|$)/.test(rest)) {
          // "- key: value" starts a map whose further keys sit two columns in.
          lines[i] = { ...lines[i], indent: indent + 2, text: rest };
          out.push(block(indent + 2));
        } else {
          i++;
          out.push(scalar(rest));
        }
      }
      return out;
    }
    const out: { [k: string]: Yaml } = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith('- ')) {
      const m = /^("[^"]+"|[\w.-]+):(?:\s+(.*))?$/.exec(lines[i].text);
      if (!m) throw new Error(`line ${lines[i].no}: cannot parse "${lines[i].text}"`);
      const key = m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1];
      if (key in out) throw new Error(`line ${lines[i].no}: duplicate key ${key}`);
      i++;
      if (m[2] !== undefined) out[key] = scalar(m[2]);
      else if (i < lines.length && lines[i].indent > indent) out[key] = block(lines[i].indent);
      else if (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('- ')) out[key] = block(indent);
      else out[key] = null;
    }
    return out;
  };
  const root = block(0);
  if (i !== lines.length) throw new Error(`line ${lines[i].no}: unexpected indentation`);
  return root;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const config = parseYamlSubset(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

test('builder config: the yaml subset parser handles maps, lists, lists of maps and comments', () => {
  assert.deepEqual(parseYamlSubset('a: 1 # c\nb:\n  - x\n  - "y #z"\nc:\n  - from: p\n    to: q\n  - r\nd:\n  e: true\n'),
    { a: 1, b: ['x', 'y #z'], c: [{ from: 'p', to: 'q' }, 'r'], d: { e: true } });
  assert.throws(() => parseYamlSubset('a: 1\na: 2\n'), /duplicate/);
});

test('builder config: installers for Windows (NSIS), macOS (dmg), Linux (AppImage + deb)', () => {
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual([...config.linux.target].sort(), ['AppImage', 'deb']);
  assert.equal(config.productName, 'Sightline');
  assert.match(config.appId, /^[a-z]+(\.[a-z]+)+$/);
});

test('builder config: native modules and models are unpacked from the asar', () => {
  const unpack: string[] = config.asarUnpack;
  // ffmpeg-static too: the engine runs its binary from app.asar.unpacked.
  for (const needle of ['better-sqlite3', 'onnxruntime-node', 'ffmpeg-static', 'native-models/**']) {
    assert.ok(unpack.some((p) => p.includes(needle)), `asarUnpack lacks ${needle}`);
  }
  assert.equal(config.asar, true);
});

test('builder config: ffmpeg (ffmpeg-static) ships as an extra resource', () => {
  const ff = (config.extraResources as { from: string; to: string; filter?: string[] }[]).find((r) => r.from.includes('ffmpeg-static'));
  assert.ok(ff, 'no ffmpeg-static extraResource');
  assert.equal(ff.to, 'ffmpeg');
  assert.ok(ff.filter?.includes('ffmpeg') && ff.filter.includes('ffmpeg.exe'));
});

test('builder config: the app files include main, preload and the built UI, never tests or sources maps', () => {
  const files: string[] = config.files;
  for (const f of ['dist/electron/**', 'dist/renderer/**', 'package.json']) assert.ok(files.includes(f), f);
  assert.ok(files.includes('!dist/test/**'));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
  assert.ok(pkg.main.startsWith('dist/electron/'), 'package.json main is inside the packaged files');
  assert.match(pkg.scripts.dist, /electron-builder --config electron-builder\.yml/);
});

/** Minimal glob matching for electron-builder's file patterns (**, *, leading ! excludes), as it applies them in order. */
function packaged(files: string[], rel: string): boolean {
  const toRe = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  let included = false;
  for (const f of files) {
    if (f.startsWith('!')) { if (toRe(f.slice(1)).test(rel)) included = false; } else if (toRe(f).test(rel)) included = true;
  }
  return included;
}

test('builder config: the dev bridge is not in the package; main, preload, gateway and the UI are', () => {
  const files: string[] = config.files;
  assert.ok(files.includes('!dist/electron/devbridge/**'));
  for (const f of ['dist/electron/devbridge/server.js', 'dist/electron/devbridge/client.js', 'dist/test/e2e/investigator-flow.test.js', 'dist/electron/main/main.js.map']) {
    assert.equal(packaged(files, f), false, `${f} must not be packaged`);
  }
  for (const f of ['dist/electron/main/main.js', 'dist/electron/preload/preload.js', 'dist/electron/gateway/validate.js', 'dist/electron/common/contract.js',
    'dist/electron/rpc/protocol.js', 'dist/electron/engine/hostWorker.js', 'dist/renderer/index.html', 'package.json']) {
    assert.equal(packaged(files, f), true, `${f} must be packaged`);
  }
  // Nothing the app loads at run time may come from the bridge.
  const main = fs.readdirSync(path.join(ROOT, 'electron', 'main')).map((f) => fs.readFileSync(path.join(ROOT, 'electron', 'main', f), 'utf8')).join('\n');
  assert.doesNotMatch(main, /devbridge/);
});

test('builder config: Electron fuses lock the packaged binary down', () => {
  const fuses = config.electronFuses as Record<string, boolean>;
  assert.ok(fuses, 'electronFuses is missing');
  assert.equal(fuses.runAsNode, false);
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.enableNodeCliInspectArguments, false);
  assert.equal(fuses.enableCookieEncryption, true);
  assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, true);
  assert.equal(fuses.onlyLoadAppFromAsar, true);
  assert.equal(fuses.grantFileProtocolExtraPrivileges, false);
});
