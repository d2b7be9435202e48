/**
 * Seed bodies: real files from test/fixtures, the generator's traces and logs, and what the
 * contract fakes serve for them (fetched over loopback, so the seeds are the exact bytes a client
 * receives, Tempo's jsonpb and Loki's envelope included).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTraceValue } from '../../src/core/formats';
import { FIXTURES, fixtureText } from '../support/fixtures';
import { generateTrace } from '../support/synth';
import { generateLogs } from '../support/synth/logs';
import type { FakeServer } from '../fakes/server';

/** Every fixture under test/fixtures/<dir> as text. */
export function fixtureTexts(dir: string): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => fixtureText(`${dir}/${f}`));
}

/** Small generated Dynamo traces (spec OTLP/JSON): small enough to mutate thousands of times. */
export function generatedTraces(): { resourceSpans: unknown[] }[] {
  return [
    { spans: 3, seed: 11 },
    { spans: 12, seed: 12 },
    { spans: 40, seed: 13 },
  ].map((o) => generateTrace(o) as { resourceSpans: unknown[] });
}

/** Log entries of the generated traces in both Dynamo shapes (JSONL lines, OTLP metadata). */
export function generatedLogs(): ReturnType<typeof generateLogs> {
  const models = generatedTraces().map((t) => parseTraceValue(t).traces[0]!);
  return [...generateLogs(models.slice(0, 2), { shape: 'jsonl', seed: 3 }), ...generateLogs(models.slice(1), { shape: 'otlp', seed: 4 })];
}

export type SeedRequest = string | { readonly path: string; readonly headers: Readonly<Record<string, string>> };

/** GETs each path from a fake (then closes it) and keeps the 2xx bodies. */
export async function served(fake: FakeServer, requests: readonly SeedRequest[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  try {
    for (const r of requests) {
      const { path, headers } = typeof r === 'string' ? { path: r, headers: {} } : r;
      const res = await fetch(`${fake.url}${path}`, { headers });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.ok && body.length) out.push(body);
    }
  } finally {
    await fake.close();
  }
  return out;
}
