/**
 * Keeps secrets out of messages and logs. URLs lose their user-info and the values of query
 * parameters whose names look like credentials; free text (server bodies, system errors) has every
 * known secret value replaced, because a misbehaving proxy may echo a header back.
 */

const SECRET_PARAM = /^(?:access_?token|token|api_?key|apikey|key|password|passwd|pass|secret|auth|authorization|sig|signature|x-amz-.*|x-goog-.*|client_secret|code)$/i;

export const REDACTED = '***';

/** The URL with user-info and credential-looking query values replaced; unparsable input is cut. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL (a typo in a settings value): it may still carry user-info or a token, so strip
    // those by pattern, and keep only a recognisable prefix in case it is a pasted secret.
    const t = redactByPattern(url);
    return t.length > 40 ? `${t.slice(0, 40)}…` : t;
  }
  // `user:pw@host` without a scheme parses as scheme "user:" with an opaque path holding the rest.
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return redactByPattern(url);
  if (u.username || u.password) {
    u.username = REDACTED;
    u.password = '';
  }
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) u.searchParams.set(name, REDACTED);
  }
  return u.toString();
}

/** User-info (`…//user:pw@` or a leading `user:pw@`) and credential-looking query values, by pattern. */
function redactByPattern(text: string): string {
  return text
    .replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/?#\s]*@/i, `$1${REDACTED}@`)
    .replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (m, sep: string, name: string) => (SECRET_PARAM.test(name) ? `${sep}${name}=${REDACTED}` : m));
}

/** Replaces known secret values in text. Short values are skipped: they would mangle words. */
export class Scrubber {
  private readonly secrets: string[] = [];

  add(...values: (string | undefined)[]): this {
    for (const v of values) {
      if (v && v.length >= 4 && !this.secrets.includes(v)) this.secrets.push(v);
    }
    // Longest first so a secret that contains another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
    return this;
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    return out;
  }
}

/** Header names whose values are credentials, compared lower-case. */
export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n === 'authorization' ||
    n === 'proxy-authorization' ||
    n === 'cookie' ||
    n.includes('token') ||
    n.includes('secret') ||
    n.includes('api-key') ||
    n.includes('apikey') ||
    n.includes('password')
  );
}

/** Printable excerpt of untrusted text: control characters become spaces, length is bounded. */
export function excerpt(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
