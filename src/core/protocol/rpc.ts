/**
 * The request → result envelope every webview of Spanlens speaks with the host. A request names a
 * method and carries an id; the host answers each id exactly once with a `response`, and the
 * webview side rejects a request itself when the host takes too long or the page goes away, so
 * every request settles. Each view declares its methods as a map of params and results.
 */

/** A view's methods: name → params and result. */
export type RpcMethods = Record<string, { readonly params: unknown; readonly result: unknown }>;

export interface RpcRequest<M extends RpcMethods = RpcMethods, K extends keyof M & string = keyof M & string> {
  readonly type: 'request';
  readonly id: number;
  readonly method: K;
  readonly params: M[K]['params'];
}

export type RpcResponse =
  | { readonly type: 'response'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly id: number; readonly ok: false; readonly error: string };

/** Validates one method's params; returns null when they are not what the method takes. */
export type ParamsCheck<P> = (params: Record<string, unknown>) => P | null;

export type RpcChecks<M extends RpcMethods> = { readonly [K in keyof M]: ParamsCheck<M[K]['params']> };

/**
 * The host's gate for a request from an untrusted webview: a known method, a usable id and params
 * its check accepts. `id` is returned even when the rest is refused, so the host can answer it.
 */
export function parseRpcRequest<M extends RpcMethods>(
  raw: unknown,
  checks: RpcChecks<M>,
): { ok: true; request: RpcRequest<M> } | { ok: false; id: number | undefined } {
  if (typeof raw !== 'object' || raw === null) return { ok: false, id: undefined };
  const m = raw as Record<string, unknown>;
  const id = isInt(m.id, Number.MAX_SAFE_INTEGER) ? m.id : undefined;
  if (m.type !== 'request' || id === undefined || typeof m.method !== 'string' || !Object.hasOwn(checks, m.method)) return { ok: false, id };
  const params = typeof m.params === 'object' && m.params !== null && !Array.isArray(m.params) ? (m.params as Record<string, unknown>) : null;
  const checked = params ? checks[m.method as keyof M](params) : null;
  if (checked === null) return { ok: false, id };
  return { ok: true, request: { type: 'request', id, method: m.method as keyof M & string, params: checked } };
}

export const isInt = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/** A bounded string: webviews may send text (a search, a value to copy), never unbounded amounts. */
export const isText = (v: unknown, maxLength: number): v is string => typeof v === 'string' && v.length <= maxLength;
