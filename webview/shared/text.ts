/** Fills `{0}`…`{n}` of a localized template (word order differs between languages). */
export function fill(template: string, values: ReadonlyArray<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (values[Number(i)] === undefined ? m : String(values[Number(i)])));
}

/** 1234567 → "1,234,567" (Intl's first call costs milliseconds of start-up a first paint cannot spare). */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** The singular template for exactly one, else the plural one; both carry `{0}` for the count. */
export function plural(count: number, one: string, other: string): string {
  return fill(count === 1 ? one : other, [groupDigits(count)]);
}
