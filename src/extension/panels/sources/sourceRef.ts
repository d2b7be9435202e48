import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as vscode from 'vscode';

/**
 * What a trace panel shows, in a form that survives a window reload: the webview keeps it in its
 * state and hands it back to the serializer. The webview is not trusted (it renders data from
 * servers and files), so the host signs each reference it hands out with a key kept in
 * SecretStorage, and revives only references that carry a valid signature: a page cannot make
 * the host open a file or fetch a trace it did not open itself.
 */
export type SourceRef =
  | { readonly kind: 'file'; readonly uri: string }
  | { readonly kind: 'tempo'; readonly environment: string; readonly traceId: string }
  | { readonly kind: 'lookup'; readonly environment: string; readonly id: string };

const KEY_SECRET = 'spanlens.panelStateKey';

export class SourceSigner {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  private getKey(): Promise<Buffer> {
    this.key ??= (async () => {
      const stored = await this.secrets.get(KEY_SECRET);
      if (stored && /^[0-9a-f]{64}$/.test(stored)) return Buffer.from(stored, 'hex');
      const fresh = randomBytes(32);
      await this.secrets.store(KEY_SECRET, fresh.toString('hex'));
      return fresh;
    })();
    return this.key;
  }

  async sign(ref: SourceRef): Promise<string> {
    const body = Buffer.from(JSON.stringify(ref)).toString('base64url');
    const mac = createHmac('sha256', await this.getKey()).update(body).digest('base64url');
    return `${body}.${mac}`;
  }

  /** The reference inside a signed string, or undefined when it is malformed or not ours. */
  async verify(signed: unknown): Promise<SourceRef | undefined> {
    if (typeof signed !== 'string' || signed.length > 8192) return undefined;
    const dot = signed.indexOf('.');
    if (dot <= 0) return undefined;
    const body = signed.slice(0, dot);
    const mac = Buffer.from(signed.slice(dot + 1), 'base64url');
    const want = createHmac('sha256', await this.getKey()).update(body).digest();
    if (mac.length !== want.length || !timingSafeEqual(mac, want)) return undefined;
    try {
      return asSourceRef(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return undefined;
    }
  }
}

function asSourceRef(v: unknown): SourceRef | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (r.kind === 'file' && typeof r.uri === 'string') return { kind: 'file', uri: r.uri };
  if (r.kind === 'tempo' && typeof r.environment === 'string' && typeof r.traceId === 'string' && /^[0-9a-f]{32}$/.test(r.traceId)) {
    return { kind: 'tempo', environment: r.environment, traceId: r.traceId };
  }
  if (r.kind === 'lookup' && typeof r.environment === 'string' && typeof r.id === 'string' && r.id.length > 0 && r.id.length <= 512) {
    return { kind: 'lookup', environment: r.environment, id: r.id };
  }
  return undefined;
}
