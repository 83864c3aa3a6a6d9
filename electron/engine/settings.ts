// User settings: a small JSON file (Electron's userData in the app; none for the CLI, where flags
// and environment variables say the same things). Checked against the contract's settings schema.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coresSchema, ExecutionProviderSchema, LIMITS, SettingsPatchSchema, type Settings, type SettingsPatch } from '../common/contract';
import { ApiError } from '../common/errors';

const envProvider = ExecutionProviderSchema.safeParse(process.env.SIGHTLINE_PROVIDER);

export const DEFAULT_SETTINGS: Settings = {
  ffmpegPath: process.env.SIGHTLINE_FFMPEG ?? '',
  ffprobePath: process.env.SIGHTLINE_FFPROBE ?? '',
  sampleFps: LIMITS.defaultFps,
  executionProvider: envProvider.success ? envProvider.data : 'auto',
  proxyDir: process.env.SIGHTLINE_PROXY_DIR ?? '',
  // On: measured sightings recall against the ungated pipeline 1.000 (docs/benchmarks.md, "Motion gating").
  motionGating: process.env.SIGHTLINE_MOTION_GATING !== '0',
  // On: people the full-frame pass misses in 1080p footage are most of the devset's unreachable ones (docs/search-quality.md).
  detectionTiles: process.env.SIGHTLINE_DETECTION_TILES !== '0',
  // On: measured sightings recall against the ungated pipeline (docs/benchmarks.md, "Keyframe-first coarse pass").
  coarsePass: process.env.SIGHTLINE_COARSE_PASS !== '0',
  // 0 = every core; SIGHTLINE_CORES for the CLI's default (the --cores flag overrides it).
  cores: coresSchema.safeParse(Number(process.env.SIGHTLINE_CORES ?? 0)).data ?? 0,
};

/** Checks a settings patch; throws with the field at fault. */
export function validateSettings(patch: unknown): SettingsPatch {
  const r = SettingsPatchSchema.safeParse(patch);
  if (r.success) return Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) as SettingsPatch;
  const issue = r.error.issues[0];
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.join('.');
  const what = issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message;
  throw new ApiError('INVALID_ARGUMENT', `settings.${field}: ${what}`);
}

export class SettingsStore {
  private value: Settings;
  constructor(private file?: string) {
    let saved: SettingsPatch = {};
    if (file && fs.existsSync(file)) {
      try { saved = validateSettings(JSON.parse(fs.readFileSync(file, 'utf8'))); } catch { saved = {}; }
    }
    this.value = { ...DEFAULT_SETTINGS, ...saved };
  }

  get(): Settings { return { ...this.value }; }

  set(patch: SettingsPatch): Settings {
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
