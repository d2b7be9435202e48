/** Reads a file under test/fixtures/ (see test/fixtures/ATTRIBUTION.md for where each came from). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '..', 'fixtures');

export function fixturePath(rel: string): string {
  return resolve(FIXTURES, rel);
}

export function fixtureText(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

export function fixtureJson(rel: string): unknown {
  return JSON.parse(fixtureText(rel));
}
