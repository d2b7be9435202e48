/** Fills `{0}`…`{n}` of a localized template (word order differs between languages). */
export function fill(template: string, values: ReadonlyArray<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (values[Number(i)] === undefined ? m : String(values[Number(i)])));
}

/** The singular template for exactly one, else the plural one; both carry `{0}` for the count. */
export function plural(count: number, one: string, other: string): string {
  return fill(count === 1 ? one : other, [count.toLocaleString()]);
}
