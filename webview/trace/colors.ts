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

export function palette(services: readonly string[]): Palette {
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const fills = services.map((s) => {
    const hue = hash(s) % 360;
    return dark ? `hsl(${hue} 45% 36%)` : `hsl(${hue} 70% 78%)`;
  });
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
