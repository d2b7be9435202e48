/**
 * A trace id as a person types or pastes it: 1–32 hex digits (Tempo strips leading zeros, and
 * Jaeger and Zipkin use 16), optionally `0x`-prefixed or with dashes and spaces from a copy, put
 * into the model's spelling (32 lowercase hex, left-padded). Undefined for anything else.
 */
export function normalizeTraceIdInput(text: string): string | undefined {
  const t = text.trim().replace(/^0x/i, '').replace(/[-\s]/g, '');
  if (!/^[0-9a-fA-F]{1,32}$/.test(t)) return undefined;
  const id = t.toLowerCase().padStart(32, '0');
  return /^0+$/.test(id) ? undefined : id;
}
