// User settings: a small JSON file (Electron's userData in the app; none for the CLI, where flags
// and environment variables say the same things).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from './contract';

export const DEFAULT_SETTINGS: Settings = {
  ffmpegPath: process.env.SIGHTLINE_FFMPEG ?? '',
  ffprobePath: process.env.SIGHTLINE_FFPROBE ?? '',
  sampleFps: 2,
  executionProvider: (process.env.SIGHTLINE_PROVIDER as Settings['executionProvider']) || 'auto',
};

const PROVIDERS: Settings['executionProvider'][] = ['auto', 'cuda', 'dml', 'coreml', 'cpu'];

/** Checks a settings patch; throws with the field at fault. */
export function validateSettings(patch: Partial<Settings>): Partial<Settings> {
  const out: Partial<Settings> = {};
  for (const [k, v] of Object.entries(patch)) {
    switch (k) {
      case 'ffmpegPath': case 'ffprobePath':
        if (typeof v !== 'string' || v.length > 4096) throw new Error(`settings.${k}: expected a path`);
        if (v && !path.isAbsolute(v)) throw new Error(`settings.${k}: must be an absolute path`);
        out[k] = v;
        break;
      case 'sampleFps':
        if (typeof v !== 'number' || !(v > 0 && v <= 30)) throw new Error('settings.sampleFps: expected a number of frames per second in (0, 30]');
        out.sampleFps = v;
        break;
      case 'executionProvider':
        if (!PROVIDERS.includes(v as Settings['executionProvider'])) throw new Error(`settings.executionProvider: one of ${PROVIDERS.join(', ')}`);
        out.executionProvider = v as Settings['executionProvider'];
        break;
      default:
        throw new Error(`settings.${k}: unknown setting`);
    }
  }
  return out;
}

export class SettingsStore {
  private value: Settings;
  constructor(private file?: string) {
    let saved: Partial<Settings> = {};
    if (file && fs.existsSync(file)) {
      try { saved = validateSettings(JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Settings>); } catch { saved = {}; }
    }
    this.value = { ...DEFAULT_SETTINGS, ...saved };
  }

  get(): Settings { return { ...this.value }; }

  set(patch: Partial<Settings>): Settings {
    this.value = { ...this.value, ...validateSettings(patch) };
    if (this.file) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(this.value, null, 2));
      fs.renameSync(tmp, this.file);
    }
    return this.get();
  }
}
