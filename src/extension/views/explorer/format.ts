import * as vscode from 'vscode';
import { formatDuration } from '../../../core/format/duration';

/** `12:03:04` today, `Aug 1, 12:03:04` on another day, in the UI's language. */
export function formatStart(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  const lang = vscode.env.language;
  const time = d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return sameDay ? time : `${d.toLocaleDateString(lang, { month: 'short', day: 'numeric' })} ${time}`;
}

/** `5 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function formatAgo(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return vscode.l10n.t('{0} s ago', String(s));
  const m = Math.floor(s / 60);
  if (m < 60) return vscode.l10n.t('{0} min ago', String(m));
  const h = Math.floor(m / 60);
  if (h < 48) return vscode.l10n.t('{0} h ago', String(h));
  return vscode.l10n.t('{0} d ago', String(Math.floor(h / 24)));
}

/** Tempo's whole-millisecond durations; under 1 ms Tempo sends none. */
export function formatTraceDuration(ms: number): string {
  return ms <= 0 ? vscode.l10n.t('< 1 ms') : formatDuration(ms * 1e6);
}

/** `7 s`, `1 min 4 s` from seconds (whole seconds: an uptime needs no more). */
export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  return s < 60 ? `${s} s` : formatDuration(s * 1e9);
}
