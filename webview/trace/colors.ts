/** Canvas colours: service hues from a stable hash, the rest from the theme's CSS variables. */

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

/** FNV-1a: the same service gets the same colour in every trace and every session. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Palette {
  readonly fills: readonly string[];
  readonly text: string;
  readonly error: string;
  readonly selected: string;
  readonly hover: string;
  readonly border: string;
  readonly background: string;
  readonly font: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

const HUES = 24;

/**
 * One hue per service: its hash picks a preferred slot on a 24-hue wheel, and services of the
 * same trace that would land within 30° of each other move to the nearest free slot, so
 * neighbours stay apart. Services are placed in hash order, so a given set of services always
 * gets the same colours whatever order the trace lists them in.
 */
export function serviceHues(services: readonly string[]): number[] {
  const order = services.map((s, i) => ({ i, h: hash(s) })).sort((a, b) => a.h - b.h || a.i - b.i);
  const taken = new Array<boolean>(HUES).fill(false);
  const hues = new Array<number>(services.length);
  const spacing = services.length <= HUES / 2 ? 1 : 0; // keep a free slot between hues while they fit
  const free = (slot: number) => {
    for (let d = -spacing; d <= spacing; d++) if (taken[(slot + d + HUES) % HUES]) return false;
    return true;
  };
  for (const { i, h } of order) {
    const want = h % HUES;
    let slot = want;
    for (let step = 0; step < HUES; step++) {
      const cand = (want + (step % 2 ? (step + 1) / 2 : -step / 2) + HUES) % HUES;
      if (free(cand)) {
        slot = cand;
        break;
      }
    }
    taken[slot] = true;
    hues[i] = slot * (360 / HUES) + (h >>> 8) % 7; // a little jitter tells equal slots apart
  }
  return hues;
}

export function palette(services: readonly string[]): Palette {
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const fills = serviceHues(services).map((hue) => (dark ? `hsl(${hue} 45% 36%)` : `hsl(${hue} 70% 78%)`));
  const family = cssVar('--vscode-font-family', 'sans-serif');
  return {
    fills,
    text: dark ? '#ffffff' : '#1e1e1e',
    error: cssVar('--vscode-errorForeground', '#f14c4c'),
    selected: cssVar('--vscode-focusBorder', '#007fd4'),
    hover: cssVar('--vscode-list-hoverForeground', dark ? '#ffffff' : '#000000'),
    border: cssVar('--vscode-contrastBorder', '') || (dark ? 'rgba(0,0,0,0.35)' : 'rgba(255,255,255,0.6)'),
    background: cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    font: `12px ${family}`,
  };
}
