import { cssVar } from '../theme';

/** Series colours from VS Code's chart palette, so every theme (high contrast too) reads. */
export function seriesColors(): string[] {
  return [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-yellow', '#cca700'),
    cssVar('--vscode-charts-red', '#f14c4c'),
  ];
}

/** An error series (`status="error"`) is red whatever its position. */
export function colorFor(label: string, index: number, colors: readonly string[]): string {
  if (/status="error"/.test(label)) return cssVar('--vscode-charts-red', '#f14c4c');
  return colors[index % colors.length]!;
}
