/**
 * The shapes the capture's query endpoints share: a request as the HTTP server hands it over and
 * a reply it writes, plain-text errors as Tempo and Loki send them, and Accept negotiation.
 */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly params: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export const TEXT_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } as const;

export function text(status: number, body: string): Reply {
  return { status, headers: TEXT_HEADERS, body };
}

/** Accept with q-values: protobuf only when it outranks JSON (Tempo's negotiation). */
export function acceptsProtobuf(accept: string | undefined): boolean {
  if (!accept) return false;
  let proto = -1;
  let json = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...ps] = part.trim().split(';');
    const qp = ps.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    const t = type.trim().toLowerCase();
    if (t === 'application/protobuf' || t === 'application/x-protobuf') proto = Math.max(proto, q);
    if (t === 'application/json' || t === '*/*') json = Math.max(json, q);
  }
  return proto > 0 && proto > json;
}
