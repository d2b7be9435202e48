/**
 * Singular or plural by count, for every user-facing count (CLI, extension host, webview).
 *
 * Message catalogues are keyed by their English text, so the English rule picks which of two
 * templates a count uses ("{0} error" / "{0} errors"); each translation maps both keys, and a
 * language without plural forms (zh-cn) maps them to the same text. Callers hand in both forms,
 * already localized when the text is, so the catalogue tools still see literal keys.
 */

export interface PluralForms<T> {
  readonly one: T;
  readonly other: T;
}

const english = new Intl.PluralRules('en-US');

/** `forms.one` when English says "1 thing", else `forms.other` (0, 2, 1.5 …). */
export function plural<T>(count: number, forms: PluralForms<T>): T {
  return english.select(count) === 'one' ? forms.one : forms.other;
}

/** "1 error", "0 errors", "3 errors": a count and its noun, for English-only text such as the CLI's. */
export function countOf(count: number, one: string, other: string): string {
  return `${count} ${plural(count, { one, other })}`;
}
