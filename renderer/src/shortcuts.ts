// Keyboard shortcuts for the frequent actions. Keys typed into a field go to the field (except Esc).
import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['/', 'Focus the description box'],
  ['space / k', 'Play / pause'],
  ['← / →', 'Previous / next frame'],
  ['j / l', 'Back / forward 5 seconds'],
  ['b', 'Bookmark note (Enter saves)'],
  ['m', 'More like this'],
  ['n / p', 'Next / previous sighting in the list'],
  ['Esc', 'Close the player / leave a field'],
  ['?', 'Show these shortcuts'],
];

export type ShortcutHandlers = Partial<Record<'search' | 'play' | 'prevFrame' | 'nextFrame' | 'back5' | 'fwd5' | 'bookmark' | 'similar' | 'nextHit' | 'prevHit' | 'escape' | 'help', () => void>>;

const KEYMAP: Record<string, keyof ShortcutHandlers> = {
  '/': 'search', ' ': 'play', k: 'play', ArrowLeft: 'prevFrame', ArrowRight: 'nextFrame', j: 'back5', l: 'fwd5',
  b: 'bookmark', m: 'similar', n: 'nextHit', p: 'prevHit', Escape: 'escape', '?': 'help',
};

function typingInField(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  if (t instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(t.type);
  return false;
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const action = KEYMAP[e.key];
      if (!action) return;
      if (typingInField(e.target)) {
        if (action === 'escape') (e.target as HTMLElement).blur();
        return;
      }
      // Space on a focused button or link activates it, as keyboard users expect.
      if (e.key === ' ' && e.target instanceof HTMLElement && e.target.closest('button, a, summary, [role=button]')) return;
      const h = ref.current[action];
      if (!h) return;
      e.preventDefault();
      h();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
