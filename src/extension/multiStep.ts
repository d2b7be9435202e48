import * as vscode from 'vscode';

/**
 * Multi-step quick input, VS Code's idiom for a short form: one input box or list per step,
 * "2/6" in the title bar, a Back button, Escape to cancel, and nothing kept open between steps.
 */

export type StepOutcome = 'next' | 'back' | 'cancel' | 'skip';

/** Where a step sits in its form. */
export interface StepPlace {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

/**
 * Runs `steps` in order. A step answering 'back' re-runs the previous step it actually showed
 * ('skip' steps are passed over both ways); 'cancel' ends the form. True when all were answered.
 */
export async function runSteps(steps: readonly (() => Promise<StepOutcome>)[]): Promise<boolean> {
  const shown: number[] = [];
  let i = 0;
  while (i < steps.length) {
    const outcome = await steps[i]!();
    if (outcome === 'cancel') return false;
    if (outcome === 'back') {
      i = shown.pop() ?? 0;
      continue;
    }
    if (outcome === 'next') shown.push(i);
    i++;
  }
  return true;
}

export interface InputStepOptions extends StepPlace {
  readonly value: string;
  readonly prompt: string;
  readonly placeholder?: string;
  /** A message when the text cannot be accepted; checked as the user types and on Enter. */
  readonly validate?: (text: string) => string | undefined | Promise<string | undefined>;
  /** An extra title-bar button (e.g. Browse…) that may replace the text. */
  readonly extra?: { readonly button: vscode.QuickInputButton; readonly run: (text: string) => Promise<string | undefined> };
}

/** One input box step. Resolves to the accepted text, or 'back' / 'cancel'. */
export function inputStep(o: InputStepOptions): Promise<{ readonly text: string } | 'back' | 'cancel'> {
  const box = vscode.window.createInputBox();
  box.title = o.title;
  box.step = o.step;
  box.totalSteps = o.totalSteps;
  box.value = o.value;
  box.prompt = o.prompt;
  box.placeholder = o.placeholder;
  box.ignoreFocusOut = true;
  box.buttons = [...(o.step > 1 ? [vscode.QuickInputButtons.Back] : []), ...(o.extra ? [o.extra.button] : [])];
  const check = async (text: string): Promise<string | undefined> => (o.validate ? o.validate(text) : undefined);
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: { readonly text: string } | 'back' | 'cancel'): void => {
      if (settled) return;
      settled = true;
      resolve(v);
      box.dispose();
    };
    box.onDidChangeValue(async (text) => {
      const message = await check(text);
      if (box.value === text) box.validationMessage = message;
    });
    box.onDidAccept(async () => {
      const text = box.value;
      box.busy = true;
      const message = await check(text);
      box.busy = false;
      if (message) box.validationMessage = message;
      else done({ text });
    });
    box.onDidTriggerButton(async (b) => {
      if (b === vscode.QuickInputButtons.Back) return done('back');
      if (o.extra && b === o.extra.button) {
        const replaced = await o.extra.run(box.value);
        if (replaced !== undefined) box.value = replaced;
        box.show();
      }
    });
    box.onDidHide(() => done('cancel'));
    box.show();
    if (o.value) void check(o.value).then((m) => (box.validationMessage = m));
  });
}

export interface PickStepOptions<T extends vscode.QuickPickItem> extends StepPlace {
  readonly items: readonly T[];
  readonly placeholder: string;
  readonly active?: T;
}

/** One list step. Resolves to the picked item, or 'back' / 'cancel'. */
export function pickStep<T extends vscode.QuickPickItem>(o: PickStepOptions<T>): Promise<{ readonly item: T } | 'back' | 'cancel'> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = o.title;
  qp.step = o.step;
  qp.totalSteps = o.totalSteps;
  qp.placeholder = o.placeholder;
  qp.ignoreFocusOut = true;
  qp.items = o.items;
  if (o.active) qp.activeItems = [o.active];
  qp.buttons = o.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: { readonly item: T } | 'back' | 'cancel'): void => {
      if (settled) return;
      settled = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (item) done({ item });
    });
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back'));
    qp.onDidHide(() => done('cancel'));
    qp.show();
  });
}
