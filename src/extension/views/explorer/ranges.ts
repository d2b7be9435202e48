import * as vscode from 'vscode';
import { parseDuration, resolveRange } from '../../../core/backends/time';
import type { TimeRange } from '../../../core/backends/types';
import type { RangeSpec } from './searchStore';

export const RANGE_PRESETS = ['15m', '1h', '3h', '6h', '12h', '24h', '2d', '7d'] as const;

/** `last 1h`, or `2026-08-01T10:00Z → now`. */
export function rangeLabel(r: RangeSpec): string {
  return 'since' in r ? vscode.l10n.t('last {0}', r.since) : vscode.l10n.t('{0} → {1}', r.start, r.end);
}

/** Throws with the core's English text when a typed time does not parse. */
export function resolveSpecRange(r: RangeSpec, now = Date.now()): TimeRange {
  return 'since' in r ? resolveRange({ since: r.since }, now) : resolveRange({ start: r.start, end: r.end }, now);
}

/** A quick pick of the presets and "Custom…" (a duration, or two times separated by "to"). */
export async function pickRange(current: RangeSpec): Promise<RangeSpec | undefined> {
  type Item = vscode.QuickPickItem & { range?: RangeSpec };
  const items: Item[] = RANGE_PRESETS.map((since) => ({
    label: vscode.l10n.t('Last {0}', since),
    range: { since },
    picked: 'since' in current && current.since === since,
    description: 'since' in current && current.since === since ? vscode.l10n.t('current') : undefined,
  }));
  items.push({ label: vscode.l10n.t('Custom…'), description: 'since' in current && !RANGE_PRESETS.includes(current.since as never) ? rangeLabel(current) : undefined });
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Time range to search'), placeHolder: rangeLabel(current) });
  if (!pick) return undefined;
  if (pick.range) return pick.range;
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Custom time range'),
    prompt: vscode.l10n.t('A duration back from now (45m, 2h30m, 3d) or "START to END" (RFC 3339, Unix seconds or now-1h).'),
    value: 'since' in current ? current.since : `${current.start} to ${current.end}`,
    validateInput: (v) => {
      try {
        resolveSpecRange(parseRangeText(v));
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  return text === undefined ? undefined : parseRangeText(text);
}

export function parseRangeText(text: string): RangeSpec {
  const t = text.trim();
  const m = /^(.+?)\s+(?:to|→|\.\.)\s+(.+)$/.exec(t);
  if (m) return { start: m[1]!.trim(), end: m[2]!.trim() };
  parseDuration(t);
  return { since: t };
}
