/**
 * JSON text as Go servers write it, so Spanlens's own Tempo and Loki endpoints (the local
 * capture) and the contract fakes match real bodies byte for byte:
 * - encoding/json and json-iterator's HTML-escaped writer turn `<`, `>`, `&` into \u003c, \u003e,
 *   \u0026 and U+2028/U+2029 into \u2028/\u2029;
 * - control characters other than \n, \r, \t are written \u00XX (Go has no \b or \f shortcut);
 * - invalid UTF-16 (lone surrogates) becomes U+FFFD, as Go does for invalid UTF-8.
 * Numbers follow strconv.FormatFloat(v, 'f', -1, 64) where the servers use it.
 */

const HEX = '0123456789abcdef';

export function goString(s: string, htmlEscape = true): string {
  let out = '"';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      rep = c === 10 ? '\\n' : c === 13 ? '\\r' : c === 9 ? '\\t' : `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 34) rep = '\\"';
    else if (c === 92) rep = '\\\\';
    else if (htmlEscape && (c === 60 || c === 62 || c === 38)) rep = `\\u00${c.toString(16)}`;
    else if (htmlEscape && (c === 0x2028 || c === 0x2029)) rep = `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return `${out}${s.slice(last)}"`;
}

/** strconv.FormatFloat(v, 'f', -1, 64), with Prometheus/Loki spellings for the specials. */
export function goFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!/e/i.test(s)) return s;
  // Expand JS exponent notation: shortest digits, no exponent.
  const [mant = '', expStr = '0'] = s.toLowerCase().split('e');
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const pointAt = (mant.replace('-', '').indexOf('.') === -1 ? mant.replace('-', '').length : mant.replace('-', '').indexOf('.')) + Number(expStr);
  let body: string;
  if (pointAt <= 0) body = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) body = digits + '0'.repeat(pointAt - digits.length);
  else body = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (neg ? '-' : '') + body;
}

/** Prometheus sample value: 'f' for 1e-6 ≤ |v| < 1e21, else 'e' (Go's exponent has ≥ 2 digits). */
export function promValue(v: number): string {
  if (!Number.isFinite(v)) return goFloatF(v);
  const a = Math.abs(v);
  if (a === 0 || (a >= 1e-6 && a < 1e21)) return goFloatF(v);
  const [m = '', e = '0'] = v.toExponential().split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Loki sample time: seconds, shortest form (model.Time.String()). */
export function lokiSeconds(ms: number): string {
  return goFloatF(ms / 1000);
}

/** Prometheus sample time: seconds with exactly three decimals when fractional. */
export function promSeconds(ms: number): string {
  const s = Math.floor(ms / 1000);
  const frac = ms - s * 1000;
  return frac === 0 ? String(s) : `${s}.${String(frac).padStart(3, '0')}`;
}

/** A Go time.Duration's String(): 744h0m0s, 1m30s, 500ms, 0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${goFloatF(rest)}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = goFloatF(rest / 1000);
  const out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  return (neg ? '-' : '') + out;
}

/** A flat string map with sorted keys (Go's labels.Labels and map encoding order). */
export function goLabels(labels: Readonly<Record<string, string>>, htmlEscape = false): string {
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${goString(k, htmlEscape)}:${goString(labels[k]!, htmlEscape)}`).join(',')}}`;
}

/** A flat string map in insertion order (slices such as Loki's structured metadata). */
export function goOrdered(map: Readonly<Record<string, string>>, htmlEscape = false): string {
  return `{${Object.keys(map).map((k) => `${goString(k, htmlEscape)}:${goString(map[k]!, htmlEscape)}`).join(',')}}`;
}

/**
 * encoding/json-compatible text for a plain value (keys in insertion order): JSON.stringify, then
 * the few spellings where Go differs — HTML characters and U+2028/9 escaped, \b and \f as \u00XX,
 * lone surrogates as U+FFFD. The escape-sequence regex walks left to right, so an escaped
 * backslash (`\\`) is consumed whole and never mistaken for the start of another escape.
 */
export function goJsonStringify(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text
    .replace(/\\(\\|b|f|ud[89a-f][0-9a-f]{2})/g, (m, c: string) => (c === 'b' ? '\\u0008' : c === 'f' ? '\\u000c' : c === '\\' ? m : '\ufffd'))
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
