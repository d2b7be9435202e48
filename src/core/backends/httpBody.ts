/**
 * Pieces of the HTTP layer that don't need its state: URL and parameter handling, Retry-After,
 * reading a body under a size cap while decompressing, and turning an HTML error page into text.
 */
import { pipeline } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { ConfigError } from './errors';
import { redactUrl } from './redact';

export type QueryValue = string | number | bigint | boolean | readonly string[] | undefined;

/** What is wrong with an endpoint URL from settings or a prompt, if anything. */
export type EndpointUrlProblem = 'notUrl' | 'scheme' | 'credentials';

export function endpointUrlProblem(raw: string): EndpointUrlProblem | undefined {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return 'notUrl';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'scheme';
  // Credentials in a settings URL would leak into logs and settings sync; they belong in SecretStorage.
  if (u.username || u.password) return 'credentials';
  return undefined;
}

export function parseBaseUrl(backend: string, raw: string): URL {
  switch (endpointUrlProblem(raw)) {
    case 'notUrl':
      throw new ConfigError(backend, redactUrl(raw), `The ${backend} URL "${redactUrl(raw)}" is not a valid URL (expected e.g. http://localhost:3200).`);
    case 'scheme':
      throw new ConfigError(backend, redactUrl(raw), `The ${backend} URL "${redactUrl(raw)}" must start with http:// or https://.`);
    case 'credentials':
      throw new ConfigError(backend, redactUrl(raw), `The ${backend} URL contains a user name or password; remove it and set credentials instead.`);
    default:
      break;
  }
  const u = new URL(raw.trim());
  u.search = '';
  u.hash = '';
  return u;
}

export function encodeParams(params: Readonly<Record<string, QueryValue>>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) p.append(k, item);
    else p.append(k, String(v));
  }
  return p;
}

export function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Seconds or an HTTP date; undefined when absent or unparsable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** Reads the body, decompressing on the fly, and stops as soon as the decoded size passes `cap`. */
export async function readCapped(
  body: Dispatcher.ResponseData['body'],
  encoding: string,
  cap: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  let source: AsyncIterable<Buffer> = body;
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    const z = encoding === 'deflate' ? createInflate() : createGunzip();
    pipeline(body, z, () => {
      // Errors surface through the iteration below.
    });
    source = z;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > cap) {
      // Leaving the loop destroys the stream (and with it the socket), so nothing keeps downloading.
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

export function stripTags(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
