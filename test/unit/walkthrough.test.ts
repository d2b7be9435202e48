/**
 * The Getting Started walkthrough in package.json: every step has a button (a command link on a
 * line of its own, which VS Code renders as a button) and completes on an event that button or
 * the step's goal raises, and its media exists in both languages.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const json = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8')) as Record<string, unknown>;
const pkg = json('package.json') as { contributes: { commands: { command: string }[]; walkthroughs?: Walkthrough[] } };
const en = json('package.nls.json') as Record<string, string>;
const zh = json('package.nls.zh-cn.json') as Record<string, string>;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  steps: Step[];
}

/** Commands other parts of Spanlens contribute as they land; the walkthrough may name them now. */
const COMING = ['spanlens.openTraceById', 'spanlens.lookupRequestId'];
const key = (v: string): string => v.replace(/^%(.*)%$/, '$1');

describe('Getting Started walkthrough', () => {
  const walkthrough = pkg.contributes.walkthroughs?.find((w) => w.id === 'spanlens.gettingStarted');

  it('has the four first-run steps: connect, open a trace, look up a request, render a stack', () => {
    assert.ok(walkthrough, 'contributes.walkthroughs has spanlens.gettingStarted');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['connect', 'openTrace', 'lookUpRequest', 'renderStack']);
  });

  it('each step: a command button in both languages, commands that exist, a completion event', () => {
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const step of walkthrough!.steps) {
      for (const [lang, nls] of [['en', en], ['zh-cn', zh]] as const) {
        const text = nls[key(step.description)];
        assert.ok(text, `${step.id}: description in ${lang}`);
        const buttons = [...text.matchAll(/^\[[^\]]+\]\(command:([\w.]+)\)$/gm)].map((m) => m[1]!);
        assert.ok(buttons.length >= 1, `${step.id} (${lang}) has a command button: ${text}`);
        for (const id of buttons) assert.ok(contributed.has(id) || COMING.includes(id), `${step.id}: ${id} is a command`);
        assert.ok(nls[key(step.title)], `${step.id}: title in ${lang}`);
      }
      const events = step.completionEvents ?? [];
      assert.ok(events.length >= 1, `${step.id} completes on an event`);
      for (const e of events) {
        assert.match(e, /^(onCommand|onContext|onSettingChanged|onView|onLink):/);
        const command = /^onCommand:(.*)$/.exec(e)?.[1];
        if (command) assert.ok(en[key(step.description)]!.includes(`(command:${command})`), `${step.id}: ${e} is raised by its own button`);
      }
    }
  });

  it('the connect step completes on the context key the extension sets', () => {
    const source = readFileSync(join(root, 'src/extension/walkthrough.ts'), 'utf8');
    const contextKey = /CONNECTED_CONTEXT = '([^']+)'/.exec(source)?.[1];
    assert.ok(walkthrough!.steps[0]!.completionEvents!.includes(`onContext:${contextKey}`));
  });

  it('each step shows its own media, localized', () => {
    for (const step of walkthrough!.steps) {
      const media = step.media.markdown!;
      for (const nls of [en, zh]) {
        const path = nls[key(media)]!;
        assert.ok(path && existsSync(join(root, path)), `${step.id}: ${path} exists`);
      }
      assert.notEqual(en[key(media)], zh[key(media)], `${step.id}: zh-cn has its own text`);
    }
  });
});
