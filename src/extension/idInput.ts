import * as vscode from 'vscode';

/** One choice of the id input: an id to accept, or (without `id`) a message that cannot be accepted. */
export type IdItem = vscode.QuickPickItem & { readonly id?: string };

/**
 * A quick input for an id, checked as it is typed: `check` turns the text into the first row (the
 * id to accept, or why it is none), the recent ids follow. Enter on a message row does nothing,
 * so an invalid id stays in the box with its reason. Resolves to the accepted id, or undefined
 * when the user gives up.
 */
export function askForId(opts: { readonly title: string; readonly placeholder: string; readonly recent: readonly IdItem[]; check(typed: string): IdItem | undefined }): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<IdItem>();
  qp.title = opts.title;
  qp.placeholder = opts.placeholder;
  qp.matchOnDescription = true;
  const update = (): void => {
    const typed = qp.value.trim();
    const head = typed ? opts.check(typed) : undefined;
    const headId = head?.id;
    qp.items = [...(head ? [{ ...head, alwaysShow: true }] : []), ...opts.recent.filter((r) => r.id !== headId)];
  };
  update();
  qp.onDidChangeValue(update);
  return new Promise((resolve) => {
    let done = false;
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!item?.id) return;
      done = true;
      resolve(item.id);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}
