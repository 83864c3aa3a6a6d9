// Window position/size remembered between runs, clamped so a window saved on a monitor that is
// gone (or at a size bigger than the current screen) still opens fully visible.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Rect { x: number; y: number; width: number; height: number }
export interface WindowState extends Rect { maximized: boolean }

export const MIN_SIZE = { width: 960, height: 640 } as const;
const DEFAULT_SIZE = { width: 1440, height: 900 } as const;
/** How much of the title bar must be on a screen for a saved position to be kept. */
const MIN_VISIBLE = 100;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return {
    w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

function centred(area: Rect, width: number, height: number): Rect {
  return { x: Math.round(area.x + (area.width - width) / 2), y: Math.round(area.y + (area.height - height) / 2), width, height };
}

/**
 * Makes a saved state safe for the displays present now (`workAreas`, primary first).
 * Size is clamped to [MIN_SIZE, work area]; a window whose title bar is not visibly on any
 * display is centred on the primary one.
 */
export function clampWindowState(saved: unknown, workAreas: Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height };
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<Record<keyof WindowState, unknown>>;
  const maximized = s.maximized === true;
  const fit = (area: Rect, w: unknown, h: unknown) => ({
    width: Math.round(Math.max(Math.min(MIN_SIZE.width, area.width), Math.min(finite(w) ? w : DEFAULT_SIZE.width, area.width))),
    height: Math.round(Math.max(Math.min(MIN_SIZE.height, area.height), Math.min(finite(h) ? h : DEFAULT_SIZE.height, area.height))),
  });
  if (!finite(s.x) || !finite(s.y)) {
    const { width, height } = fit(primary, s.width, s.height);
    return { ...centred(primary, width, height), maximized };
  }
  const titleBar = (x: number, y: number, width: number): Rect => ({ x, y, width, height: 30 });
  for (const area of workAreas) {
    const { width, height } = fit(area, s.width, s.height);
    const o = overlap(titleBar(s.x, s.y, width), area);
    if (o.w >= Math.min(MIN_VISIBLE, width) && o.h > 0) {
      // Pull the window inside this display so none of it hangs off the edge.
      const x = Math.round(Math.min(Math.max(s.x, area.x), area.x + area.width - width));
      const y = Math.round(Math.min(Math.max(s.y, area.y), area.y + area.height - height));
      return { x, y, width, height, maximized };
    }
  }
  const { width, height } = fit(primary, s.width, s.height);
  return { ...centred(primary, width, height), maximized };
}

export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  let saved: unknown = null;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // First run or a corrupt file: defaults.
  }
  return clampWindowState(saved, workAreas);
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, file);
  } catch {
    // Losing the window position is not worth failing shutdown over.
  }
}
