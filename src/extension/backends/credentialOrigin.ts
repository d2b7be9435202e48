/**
 * A stored credential belongs to an environment and the origin (scheme, host, port) it was
 * entered for. Settings can point an environment elsewhere — a cloned repository's
 * `.vscode/settings.json` in a trusted folder included — and a token must not follow them
 * there unasked. This decides, per backend, whether a credential is sent to the endpoint now
 * configured. No `vscode` import: unit-tested in Node.
 */
import type { Auth } from '../../core/backends/options';

/** What SecretStorage holds for one environment and backend. */
export interface StoredCredential {
  readonly auth: Exclude<Auth, { kind: 'none' }>;
  /** The origin it was entered for; absent in entries saved before credentials had one. */
  readonly origin?: string;
  /** Other origins the user agreed to send it to. */
  readonly approved: readonly string[];
}

export type CredentialDecision =
  /** Send it: the endpoint is its origin or one the user approved. */
  | { readonly kind: 'use' }
  /** An entry without an origin, for the endpoint the user's own settings name: send it and record that origin. */
  | { readonly kind: 'bind'; readonly origin: string }
  /**
   * Do not send it; ask. `savedFor` is the origin it belongs to (absent when that is unknown),
   * `target` where the settings point now.
   */
  | { readonly kind: 'ask'; readonly savedFor?: string; readonly target: string }
  /** Do not send it and do not ask: the endpoint is no usable URL (its client reports that). */
  | { readonly kind: 'withhold' };

/** `scheme://host[:port]` of an http(s) URL, default ports left out (as URL.origin writes it). */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `endpointUrl`: where the effective settings point the backend. `userOrigin`: where the user's
 * own (user or machine scope) settings point it, if they define this environment at all — the
 * only origin an entry without one can be tied to silently.
 */
export function decideCredential(stored: StoredCredential, endpointUrl: string | undefined, userOrigin: string | undefined): CredentialDecision {
  const target = originOf(endpointUrl);
  if (target === undefined) return { kind: 'withhold' };
  if (stored.origin !== undefined) {
    return stored.origin === target || stored.approved.includes(target) ? { kind: 'use' } : { kind: 'ask', savedFor: stored.origin, target };
  }
  if (stored.approved.includes(target)) return { kind: 'use' };
  if (userOrigin !== undefined && userOrigin === target) return { kind: 'bind', origin: target };
  return userOrigin !== undefined ? { kind: 'ask', savedFor: userOrigin, target } : { kind: 'ask', target };
}

/** The entry after the user agreed to send it to `target` (an entry without an origin takes `savedFor`, else `target`). */
export function approve(stored: StoredCredential, target: string, savedFor?: string): StoredCredential {
  const origin = stored.origin ?? savedFor ?? target;
  const approved = origin === target || stored.approved.includes(target) ? stored.approved : [...stored.approved, target];
  return { ...stored, origin, approved };
}

/** JSON for SecretStorage. */
export function serializeCredential(c: StoredCredential): string {
  return JSON.stringify({ ...c.auth, ...(c.origin ? { origin: c.origin } : {}), ...(c.approved.length ? { approved: c.approved } : {}) });
}

/** Reads an entry, old (no origin) or new; a damaged one is undefined. */
export function parseCredential(raw: string | undefined): StoredCredential | undefined {
  if (!raw) return undefined;
  let v: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    v = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  let auth: StoredCredential['auth'];
  if (v.kind === 'basic' && typeof v.username === 'string' && typeof v.password === 'string') auth = { kind: 'basic', username: v.username, password: v.password };
  else if (v.kind === 'bearer' && typeof v.token === 'string') auth = { kind: 'bearer', token: v.token };
  else return undefined;
  const origin = typeof v.origin === 'string' ? originOf(v.origin) : undefined;
  const approved = Array.isArray(v.approved) ? v.approved.map((o) => (typeof o === 'string' ? originOf(o) : undefined)).filter((o): o is string => o !== undefined) : [];
  return { auth, origin, approved };
}
