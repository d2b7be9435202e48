/** Box colours by mode (service, duration, errors) and the rest from the theme's CSS variables. */
import type { ColorMode } from '../../src/core/protocol/trace';
import { cssVar, isDark, themeKind } from '../shared/theme';
import type { TraceModel } from './model';

/** FNV-1a: the same service gets the same colour in every trace and every session. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
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

/** Duration mode: this many steps from short (cool) to long (hot), on a log scale. */
const DURATION_STEPS = 12;

export interface Palette {
  /** Fill per colour key (see keyOf). */
  readonly fills: readonly string[];
  /** Per service, whatever the mode: legends and swatches. */
  readonly serviceFills: readonly string[];
  readonly text: string;
  /** Text drawn beside a box, on the background. */
  readonly mutedText: string;
  readonly error: string;
  readonly selected: string;
  readonly hover: string;
  readonly border: string;
  readonly background: string;
  readonly critical: string;
  readonly match: string;
  readonly font: string;
  /** The colour key of each box: an index into fills (a column, so drawing reads it, not calls for it). */
  readonly keys: Uint32Array;
}

export function palette(model: TraceModel, mode: ColorMode): Palette {
  const d = model.data;
  const dark = isDark(themeKind());
  const serviceFills = serviceHues(d.services).map((hue) => (dark ? `hsl(${hue} 45% 36%)` : `hsl(${hue} 70% 78%)`));
  const error = cssVar('--vscode-errorForeground', '#f14c4c');
  let fills: string[];
  let keys: Uint32Array;
  if (mode === 'service') {
    fills = serviceFills;
    keys = d.service;
  } else if (mode === 'errors') {
    fills = [dark ? 'hsl(220 8% 34%)' : 'hsl(220 10% 82%)', dark ? 'hsl(0 62% 42%)' : 'hsl(0 75% 72%)'];
    keys = new Uint32Array(d.count);
    for (let b = 0; b < d.count; b++) keys[b] = model.isError(b) ? 1 : 0;
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (let b = 0; b < d.count; b++) {
      const v = Math.log1p(d.end[b]! - d.start[b]!);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi - lo || 1;
    // Blue (short) through yellow to red (long).
    fills = Array.from({ length: DURATION_STEPS }, (_, i) => {
      const hue = 220 - (220 * i) / (DURATION_STEPS - 1);
      return dark ? `hsl(${hue} 55% 38%)` : `hsl(${hue} 75% 75%)`;
    });
    keys = new Uint32Array(d.count);
    for (let b = 0; b < d.count; b++) keys[b] = Math.min(DURATION_STEPS - 1, Math.floor(((Math.log1p(d.end[b]! - d.start[b]!) - lo) / range) * DURATION_STEPS));
  }
  const family = cssVar('--vscode-font-family', 'sans-serif');
  return {
    fills,
    serviceFills,
    text: dark ? '#ffffff' : '#1e1e1e',
    mutedText: cssVar('--vscode-foreground', dark ? '#cccccc' : '#333333'),
    error,
    selected: cssVar('--vscode-focusBorder', '#007fd4'),
    hover: cssVar('--vscode-list-hoverForeground', dark ? '#ffffff' : '#000000'),
    border: cssVar('--vscode-contrastBorder', '') || (dark ? 'rgba(0,0,0,0.35)' : 'rgba(255,255,255,0.6)'),
    background: cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    critical: cssVar('--vscode-charts-orange', '#d18616'),
    match: cssVar('--vscode-editor-findMatchBorder', cssVar('--vscode-charts-yellow', '#cca700')),
    font: `12px ${family}`,
    keys,
  };
}
