/**
 * Inputs that once failed, kept in test/fuzz/regressions/<target>/<hash>.json and replayed by
 * the unit tests, so a fixed bug stays fixed. Text is stored as text, bytes as base64, and
 * anything over 64 KiB gzipped (a hang is reported before it can be shrunk).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FuzzInput } from './harness';

export const REGRESSIONS = resolve(__dirname, 'regressions');

interface Stored {
  readonly target: string;
  /** What went wrong when it was found (first line). */
  readonly found: string;
  readonly seed?: number;
  readonly path?: string;
  readonly text?: string;
  readonly base64?: string;
  /** gzip, then base64; `binary` says whether the input was bytes. */
  readonly gzip?: string;
  readonly binary?: boolean;
}

export interface Regression {
  readonly file: string;
  readonly target: string;
  readonly found: string;
  readonly input: FuzzInput;
}

/** Writes the case (named by its content, so the same input is kept once) and returns its path. */
export function saveRegression(target: string, input: FuzzInput, found: string, meta: { seed?: number; path?: string } = {}): string {
  const raw = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 12);
  const dir = join(REGRESSIONS, target);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${hash}.json`);
  if (existsSync(file)) return file;
  const body: Stored =
    raw.length > 64 * 1024
      ? { target, found, ...meta, gzip: gzipSync(raw).toString('base64'), binary: typeof input !== 'string' }
      : typeof input === 'string'
        ? { target, found, ...meta, text: input }
        : { target, found, ...meta, base64: raw.toString('base64') };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

export function loadRegressions(): Regression[] {
  if (!existsSync(REGRESSIONS)) return [];
  const out: Regression[] = [];
  for (const target of readdirSync(REGRESSIONS).sort()) {
    for (const f of readdirSync(join(REGRESSIONS, target)).filter((x) => x.endsWith('.json')).sort()) {
      const file = join(REGRESSIONS, target, f);
      const s = JSON.parse(readFileSync(file, 'utf8')) as Stored;
      let input: FuzzInput;
      if (s.text !== undefined) input = s.text;
      else if (s.base64 !== undefined) input = new Uint8Array(Buffer.from(s.base64, 'base64'));
      else {
        const raw = gunzipSync(Buffer.from(s.gzip ?? '', 'base64'));
        input = s.binary ? new Uint8Array(raw) : raw.toString('utf8');
      }
      out.push({ file, target: s.target, found: s.found, input });
    }
  }
  return out;
}
