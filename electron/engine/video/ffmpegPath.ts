// Where ffmpeg and ffprobe live: the user's setting, else the bundled ffmpeg-static (an optional
// dependency that is often absent), else the PATH. Resolved once per setting.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FfmpegSource = 'setting' | 'ffmpeg-static' | 'PATH';

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
  source: FfmpegSource;
}

export interface FfmpegSetting {
  ffmpegPath?: string;
  ffprobePath?: string;
}

export const FFMPEG_NOT_FOUND = 'ffmpeg not found: set its path in Settings or install ffmpeg';

const cache = new Map<string, FfmpegPaths>();

const exe = (name: string): string => (process.platform === 'win32' ? `${name}.exe` : name);

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable called `name` on process.env.PATH (PATHEXT-aware on Windows), or null. */
export function findOnPath(name: string, envPath: string | undefined = process.env.PATH): string | null {
  if (!envPath) return null;
  const exts = process.platform === 'win32'
    ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)]
    : [''];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** ffmpeg-static's binary, if the optional dependency is installed and its download succeeded. */
function ffmpegStatic(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p: unknown = require(require.resolve('ffmpeg-static'));
    if (typeof p !== 'string') return null;
    // Inside an asar archive the binary is unpacked beside it.
    const unpacked = p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    return isExecutableFile(unpacked) ? unpacked : null;
  } catch {
    return null;
  }
}

function resolveUncached(setting: FfmpegSetting): FfmpegPaths {
  const ffmpegSetting = setting.ffmpegPath?.trim();
  const ffprobeSetting = setting.ffprobePath?.trim();
  if (ffmpegSetting) {
    if (!isExecutableFile(ffmpegSetting)) throw new Error(`ffmpeg not found at '${ffmpegSetting}' (Settings)`);
    let ffprobe = ffprobeSetting || path.join(path.dirname(ffmpegSetting), exe('ffprobe'));
    if (!isExecutableFile(ffprobe)) {
      if (ffprobeSetting) throw new Error(`ffprobe not found at '${ffprobeSetting}' (Settings)`);
      ffprobe = findOnPath('ffprobe') ?? '';
      if (!ffprobe) throw new Error('ffprobe not found: set its path in Settings or install ffmpeg');
    }
    return { ffmpeg: ffmpegSetting, ffprobe, source: 'setting' };
  }
  const bundled = ffmpegStatic();
  if (bundled) {
    const beside = path.join(path.dirname(bundled), exe('ffprobe'));
    const ffprobe = ffprobeSetting || (isExecutableFile(beside) ? beside : findOnPath('ffprobe'));
    if (ffprobe) return { ffmpeg: bundled, ffprobe, source: 'ffmpeg-static' };
  }
  const ffmpeg = findOnPath('ffmpeg');
  if (!ffmpeg) throw new Error(FFMPEG_NOT_FOUND);
  const ffprobe = ffprobeSetting || findOnPath('ffprobe');
  if (!ffprobe) throw new Error('ffprobe not found: set its path in Settings or install ffmpeg');
  return { ffmpeg, ffprobe, source: 'PATH' };
}

/** Resolves ffmpeg/ffprobe: setting → ffmpeg-static → PATH. Throws FFMPEG_NOT_FOUND when there is none. */
export function resolveFfmpeg(setting: FfmpegSetting = {}): FfmpegPaths {
  const key = JSON.stringify([setting.ffmpegPath ?? '', setting.ffprobePath ?? '']);
  const hit = cache.get(key);
  if (hit) return hit;
  const found = resolveUncached(setting);
  cache.set(key, found);
  return found;
}

/** Forgets resolved paths (after the user changes Settings or installs ffmpeg). */
export function clearFfmpegCache(): void {
  cache.clear();
}
