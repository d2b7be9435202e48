/** Box colours by mode (service, duration, errors) and the rest from the theme's CSS variables. */
import { MAX_SERVICE_SLOTS } from '../../src/core/model/serviceSlots';
import type { ColorMode } from '../../src/core/protocol/trace';
import { fnv1a } from '../../src/core/text/hash';
import { cssVar, isDark, themeKind } from '../shared/theme';
import type { TraceModel } from './model';

/**
 * The fill of a colour slot (see core/model/serviceSlots). Slots step round the wheel by the
 * golden angle, so consecutive slots, the services a user meets first, are far apart; every
 * eighth slot starts another tone so slots that land near an earlier hue still differ.
 */
export function slotFill(slot: number, dark: boolean): string {
  const hue = Math.round((210 + slot * 137.508) % 360);
  const tone = [0, 1, -1][Math.floor(slot / 8) % 3]!;
  return dark ? `hsl(${hue} 48% ${36 + tone * 7}%)` : `hsl(${hue} 68% ${78 + tone * 6}%)`;
}

/** Slots from the names alone, for a view the extension gave none (stable, but not spread). */
function nameSlot(name: string): number {
  return fnv1a(name) % MAX_SERVICE_SLOTS;
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
  const serviceFills = d.services.map((name, i) => slotFill(d.serviceSlots?.[i] ?? nameSlot(name), dark));
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
