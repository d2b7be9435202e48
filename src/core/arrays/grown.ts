/** The typed arrays the project keeps growable columns in. */
export type TypedColumn = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * A copy of `a` with room for at least `min` elements, its elements first. The length at least
 * doubles, so appending one at a time stays amortized O(1). The one growth rule for the columns
 * of the parsers, stores and views.
 */
export function grown<T extends TypedColumn>(a: T, min = a.length + 1): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(min, a.length * 2));
  next.set(a);
  return next;
}
