import type { Locator } from 'playwright-core';
import type { Editor } from './codeServer';

/** The tree row (any side-bar view) whose label is exactly `name`. */
export function treeRow(ed: Editor, name: string): Locator {
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return ed.page.locator('.monaco-list-row', { has: ed.page.locator('.label-name', { hasText: exact }) }).first();
}

/** That row's description, or '' while it has none (or is not drawn). */
export async function treeRowDescription(ed: Editor, name: string): Promise<string> {
  return (await treeRow(ed, name).locator('.label-description').textContent().catch(() => '')) ?? '';
}

/** Picks the quick-pick row holding `text`, clicking it: Enter takes whichever row is highlighted. */
export async function pickQuickItem(ed: Editor, text: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const item = ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  await item.click();
}

/** Types `value` into the input box titled `title` and accepts it, waiting for the box (the previous one closes first). */
export async function answerInputBox(ed: Editor, title: string, value: string, timeoutMs = 30_000): Promise<void> {
  await ed.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  const input = ed.page.locator('.quick-input-widget input').first();
  await input.fill(value);
  await input.press('Enter');
}
