import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PlanEntry, PlanStatus, WritePlan } from '../../core/stack/write';
import { plural } from '../../core/text/plural';
import type { CommandHandler, SpanlensContext } from '../context';
import { PROPOSED_SCHEME, proposedDocs } from './proposedDocs';

/**
 * The review before a render writes: a "Stack Review" view in the Spanlens side bar, like VS
 * Code's Refactor Preview, lists every file by status. Clicking a new file opens it as a plain
 * preview, a changed one as a diff against the file on disk; the editor area stays free, since
 * the list is beside it rather than over it. Write and Cancel sit in the view's title bar (and
 * the command palette). Nothing is written until Write.
 */

export const REVIEW_VIEW = 'spanlens.stackReview';
const ACTIVE_CONTEXT = 'spanlens.stackReview.active';

type Node = { readonly kind: 'section'; readonly status: PlanStatus; readonly entries: readonly PlanEntry[] } | { readonly kind: 'file'; readonly entry: PlanEntry };

interface Review {
  readonly folder: vscode.Uri;
  readonly plan: WritePlan;
  readonly batch: string;
  settle(write: boolean): void;
}

const ORDER: readonly PlanStatus[] = ['changed', 'new', 'unchanged'];

function sectionLabel(status: PlanStatus): string {
  return status === 'changed' ? vscode.l10n.t('Changed') : status === 'new' ? vscode.l10n.t('New') : vscode.l10n.t('Unchanged');
}

class ReviewTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  review?: Review;

  set(review: Review | undefined): void {
    this.review = review;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    const r = this.review;
    if (!r) return [];
    if (!node) {
      return ORDER.map((status) => ({ kind: 'section' as const, status, entries: r.plan.entries.filter((e) => e.status === status) })).filter((s) => s.entries.length);
    }
    return node.kind === 'section' ? node.entries.map((entry) => ({ kind: 'file' as const, entry })) : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'section') {
      const item = new vscode.TreeItem(sectionLabel(node.status), node.status === 'unchanged' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
      item.id = `section/${node.status}`;
      item.description = String(node.entries.length);
      return item;
    }
    const e = node.entry;
    const item = new vscode.TreeItem(e.path, vscode.TreeItemCollapsibleState.None);
    item.id = `file/${e.path}`;
    item.iconPath = new vscode.ThemeIcon(e.status === 'changed' ? 'diff-modified' : e.status === 'new' ? 'diff-added' : 'check');
    item.tooltip =
      e.status === 'changed' ? vscode.l10n.t('{0}: differs from the file on disk; click to see the diff', e.path) : e.status === 'new' ? vscode.l10n.t('{0}: a new file; click to see it', e.path) : vscode.l10n.t('{0}: already as rendered', e.path);
    item.command = { command: 'spanlens.stackReview.open', title: vscode.l10n.t('Open'), arguments: [e.path] };
    item.accessibilityInformation = { label: `${e.path}, ${sectionLabel(e.status)}` };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

let tree: ReviewTree | undefined;
let view: vscode.TreeView<Node> | undefined;

function ensureView(ctx: SpanlensContext): { tree: ReviewTree; view: vscode.TreeView<Node> } {
  if (!tree || !view) {
    const t = new ReviewTree();
    const v = vscode.window.createTreeView(REVIEW_VIEW, { treeDataProvider: t, showCollapseAll: false });
    tree = t;
    view = v;
    ctx.extension.subscriptions.push(v, t, {
      dispose: () => {
        tree = undefined;
        view = undefined;
      },
    });
  }
  return { tree, view };
}

/** Opens one file of the review: a plain preview of a new file, the diff of a changed one. */
async function open(ctx: SpanlensContext, r: Review, e: PlanEntry): Promise<void> {
  const docs = proposedDocs(ctx);
  const proposed = docs.put('proposed', e.path, e.after, r.batch);
  const onDisk = vscode.Uri.joinPath(r.folder, ...e.path.split('/'));
  if (e.status === 'changed') {
    await vscode.commands.executeCommand('vscode.diff', onDisk, proposed, vscode.l10n.t('{0} (on disk ↔ rendered)', e.path), { preview: true });
  } else {
    await vscode.window.showTextDocument(e.status === 'new' ? proposed : onDisk, { preview: true });
  }
}

/** Closes the editors that show this review's proposed documents: they mean nothing afterwards. */
async function closeProposed(batch: string): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
    const input = t.input;
    const uris = input instanceof vscode.TabInputText ? [input.uri] : input instanceof vscode.TabInputTextDiff ? [input.original, input.modified] : [];
    return uris.some((u) => u.scheme === PROPOSED_SCHEME && u.query === batch);
  });
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}

/**
 * Shows the review and resolves to true when the user chose Write, false on Cancel or when a
 * later render replaced it.
 */
export async function reviewPlan(ctx: SpanlensContext, folder: vscode.Uri, plan: WritePlan, isNew: boolean): Promise<boolean> {
  const { tree: t, view: v } = ensureView(ctx);
  t.review?.settle(false);
  const count = (s: PlanStatus): number => plan.entries.filter((e) => e.status === s).length;
  let settle: (write: boolean) => void = () => undefined;
  const decision = new Promise<boolean>((resolve) => (settle = resolve));
  const review: Review = { folder, plan, batch: randomBytes(6).toString('hex'), settle: (w) => settle(w) };
  t.set(review);
  v.title = vscode.l10n.t('Stack Review');
  v.description = vscode.l10n.t('{0} new, {1} changed, {2} unchanged', count('new'), count('changed'), count('unchanged'));
  v.message = isNew
    ? vscode.l10n.t('{0} will be created. Click a file to see it; nothing is written until you choose Write.', folder.fsPath)
    : vscode.l10n.t('Into {0}. Click a file to see it or its diff; nothing is written until you choose Write.', folder.fsPath);
  await vscode.commands.executeCommand('setContext', ACTIVE_CONTEXT, true);
  await vscode.commands.executeCommand(`${REVIEW_VIEW}.focus`);
  try {
    return await decision;
  } finally {
    if (t.review === review) {
      t.set(undefined);
      v.message = undefined;
      v.description = undefined;
      await vscode.commands.executeCommand('setContext', ACTIVE_CONTEXT, false);
    }
    await closeProposed(review.batch);
    proposedDocs(ctx).drop(review.batch);
  }
}

/** `spanlens.stackReview.write` / `.cancel`: the review's two answers. */
export const writeReviewed: CommandHandler = () => tree?.review?.settle(true);
export const cancelReview: CommandHandler = () => tree?.review?.settle(false);

/** `spanlens.stackReview.open` — argument: the file's path in the plan. */
export const openReviewed: CommandHandler = async (ctx, arg) => {
  const r = tree?.review;
  const e = r?.plan.entries.find((x) => x.path === arg);
  if (r && e) await open(ctx, r, e);
};

/** "Write 18 files to …?" with the replaced ones named, when any file is replaced. */
export async function confirmReplace(folder: vscode.Uri, plan: WritePlan): Promise<boolean> {
  const changed = plan.entries.filter((e) => e.status === 'changed');
  if (!changed.length) return true;
  const writing = plan.entries.filter((e) => e.status !== 'unchanged').length;
  const write = vscode.l10n.t('Write');
  const answer = await vscode.window.showWarningMessage(
    plural(writing, { one: vscode.l10n.t('Write {0} file to {1}?', writing, folder.fsPath), other: vscode.l10n.t('Write {0} files to {1}?', writing, folder.fsPath) }),
    { modal: true, detail: `${vscode.l10n.t('These files differ and will be replaced:')}\n${changed.map((e) => e.path).join('\n')}` },
    write,
  );
  return answer === write;
}
