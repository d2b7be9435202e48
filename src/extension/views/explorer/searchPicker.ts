import * as vscode from 'vscode';
import type { TempoClient } from '../../../core/backends/tempo/client';
import type { TimeRange } from '../../../core/backends/types';
import type { TagScope, TagValue } from '../../../core/model/traceSearch';
import { checkTraceql, describeProblem } from '../../../core/traceql/check';
import { applySuggestion, completionContext, suggestions, type CompletionContext, type Suggestion } from '../../../core/traceql/complete';
import { DYNAMO_EXAMPLES, type ExampleId } from '../../../core/traceql/queries';
import { errorHeadline } from '../../backends/labels';
import { pickRange, rangeLabel, resolveSpecRange } from './ranges';
import type { RangeSpec, SearchSpec, SearchStore } from './searchStore';
import { formatAgo } from './format';

type Action = 'run' | 'runAnyway' | 'complete' | 'fill' | 'none';

interface Item extends vscode.QuickPickItem {
  readonly action: Action;
  readonly suggestion?: Suggestion;
  readonly ctx?: CompletionContext;
  readonly fill?: SearchSpec | { readonly query: string };
}

/** How long typing must pause before Tempo is asked for completions. */
const TYPING_PAUSE_MS = 150;

export function exampleLabel(id: ExampleId): string {
  switch (id) {
    case 'slowRequests':
      return vscode.l10n.t('Slow frontend requests (http-request over 2 s)');
    case 'workerErrors':
      return vscode.l10n.t('Error spans on a worker (handle_payload)');
    case 'oneModel':
      return vscode.l10n.t('Requests for one model (pick it from the list)');
    case 'slowFirstToken':
      return vscode.l10n.t('Slow time to first token (over 1 s)');
  }
}

/**
 * `Spanlens: Search Traces…`: a quick pick whose text is the TraceQL query. Below it are the
 * search itself (Enter), or the syntax error Grafana's grammar finds with a way to send anyway,
 * then completions of tag names and values from Tempo for the text at its end; an empty query
 * offers the Dynamo examples, saved and recent searches. Title buttons change the time range and
 * save the query. Resolves to the search to run, or undefined when dismissed.
 */
export async function pickSearch(tempo: TempoClient, store: SearchStore, initial: SearchSpec): Promise<SearchSpec | undefined> {
  let spec = initial;
  for (;;) {
    const r = await showPicker(tempo, store, spec);
    if (r.kind === 'cancel') return undefined;
    if (r.kind === 'run') return r.spec;
    spec = r.spec;
    if (r.kind === 'range') {
      const range = await pickRange(spec.range);
      if (range) {
        spec = { ...spec, range };
        await store.setLastRange(range);
      }
    } else if (r.kind === 'save') {
      await saveSearch(store, spec);
    }
  }
}

/** Asks a name and saves; a name in use is replaced after a confirmation. */
export async function saveSearch(store: SearchStore, spec: SearchSpec, name?: string): Promise<boolean> {
  const chosen = await vscode.window.showInputBox({
    title: vscode.l10n.t('Save search'),
    prompt: vscode.l10n.t('A name for {0} ({1})', spec.query, rangeLabel(spec.range)),
    value: name,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The name cannot be empty.')),
  });
  if (chosen === undefined) return false;
  const n = chosen.trim();
  if (store.saved().some((s) => s.name === n) && n !== name) {
    const replace = vscode.l10n.t('Replace');
    if ((await vscode.window.showWarningMessage(vscode.l10n.t('A saved search named "{0}" exists. Replace it?', n), { modal: true }, replace)) !== replace) return false;
  }
  await store.save(n, spec);
  return true;
}

type PickerResult = { kind: 'cancel' } | { kind: 'run' | 'range' | 'save'; spec: SearchSpec };

function showPicker(tempo: TempoClient, store: SearchStore, spec: SearchSpec): Promise<PickerResult> {
  return new Promise<PickerResult>((resolve) => {
    const qp = vscode.window.createQuickPick<Item>();
    const rangeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('history'), tooltip: vscode.l10n.t('Time range: {0}', rangeLabel(spec.range)) };
    const saveButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('save'), tooltip: vscode.l10n.t('Save Search…') };
    let range = spec.range;
    let settled = false;
    let ac: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    let version = 0;
    const tagCache = new Map<string, Promise<TagScope[]>>();
    const valueCache = new Map<string, Promise<TagValue[]>>();
    const done = (r: PickerResult): void => {
      if (settled) return;
      settled = true;
      ac?.abort();
      if (timer) clearTimeout(timer);
      resolve(r);
      qp.hide();
    };
    const current = (): SearchSpec => ({ query: qp.value, range });

    qp.title = vscode.l10n.t('Search Traces ({0})', rangeLabel(range));
    qp.placeholder = vscode.l10n.t('TraceQL, e.g. {0}', '{ resource.service.name = "dynamo-frontend" }');
    qp.buttons = [rangeButton, saveButton];
    qp.matchOnDescription = false;
    qp.matchOnDetail = false;
    // A query is work in progress: a click elsewhere must not throw it away.
    qp.ignoreFocusOut = true;
    qp.value = spec.query;

    let tr: TimeRange | undefined;
    const timeRange = (): TimeRange | undefined => {
      try {
        tr ??= resolveSpecRange(range);
        return tr;
      } catch {
        return undefined;
      }
    };

    const update = (): void => {
      const v = ++version;
      const text = qp.value;
      const base = headItems(text, range);
      const ctx = completionContext(text);
      const local = text.trim() === '' ? startItems(store) : [];
      qp.items = [...base, ...local, ...completionItems(ctx, suggestions(ctx))];
      ac?.abort();
      if (timer) clearTimeout(timer);
      if (ctx.kind !== 'tagName' && ctx.kind !== 'value') {
        qp.busy = false;
        return;
      }
      timer = setTimeout(() => {
        const mine = new AbortController();
        ac = mine;
        qp.busy = true;
        fetchData(ctx, mine.signal).then(
          (data) => {
            if (v !== version || settled) return;
            qp.busy = false;
            qp.items = [...base, ...local, ...completionItems(ctx, suggestions(ctx, data))];
          },
          (err: unknown) => {
            if (v !== version || settled || mine.signal.aborted) return;
            qp.busy = false;
            const kind = (err as { kind?: Parameters<typeof errorHeadline>[0] }).kind ?? 'server';
            qp.items = [
              ...base,
              ...local,
              { label: `$(warning) ${vscode.l10n.t('No completions: {0}', errorHeadline(kind, 'Tempo'))}`, detail: err instanceof Error ? err.message : String(err), action: 'none', alwaysShow: true },
            ];
          },
        );
      }, TYPING_PAUSE_MS);
    };

    const fetchData = async (ctx: CompletionContext, signal: AbortSignal): Promise<{ scopes?: TagScope[]; values?: TagValue[] }> => {
      const r = timeRange();
      if (ctx.kind === 'tagName') {
        let p = tagCache.get('');
        if (!p) {
          p = tempo.tagNames({ range: r, signal });
          tagCache.set('', p);
          p.catch(() => tagCache.delete(''));
        }
        return { scopes: await p };
      }
      const key = `${ctx.tag}\u0000${ctx.filter}`;
      let p = valueCache.get(key);
      if (!p) {
        p = tempo.tagValues(ctx.tag!, { range: r, query: ctx.filter, signal });
        valueCache.set(key, p);
        p.catch(() => valueCache.delete(key));
      }
      return { values: await p };
    };

    qp.onDidChangeValue(() => update());
    qp.onDidTriggerButton((b) => {
      if (b === rangeButton) done({ kind: 'range', spec: current() });
      else if (b === saveButton) done({ kind: 'save', spec: current() });
    });
    qp.onDidAccept(() => {
      const item = qp.activeItems[0];
      if (!item) return;
      switch (item.action) {
        case 'run':
        case 'runAnyway':
          done({ kind: 'run', spec: { query: qp.value.trim() || '{}', range } });
          return;
        case 'complete':
          qp.value = applySuggestion(qp.value, item.ctx!, item.suggestion!);
          update();
          return;
        case 'fill':
          qp.value = item.fill!.query;
          if ('range' in item.fill!) {
            range = item.fill.range;
            tr = undefined;
            qp.title = vscode.l10n.t('Search Traces ({0})', rangeLabel(range));
          }
          update();
          return;
        default:
          return;
      }
    });
    qp.onDidHide(() => {
      done({ kind: 'cancel' });
      qp.dispose();
    });
    update();
    qp.show();
  });
}

function headItems(text: string, range: RangeSpec): Item[] {
  const query = text.trim() || '{}';
  const problem = checkTraceql(query);
  if (!problem) {
    return [{ label: `$(search) ${vscode.l10n.t('Search')}`, description: query, detail: vscode.l10n.t('Tempo, {0}', rangeLabel(range)), action: 'run', alwaysShow: true }];
  }
  return [
    {
      label: `$(warning) ${vscode.l10n.t('TraceQL syntax error at {0}', describeProblem(problem))}`,
      detail: vscode.l10n.t('Checked with Grafana\'s TraceQL grammar before sending. Keep typing, or pick a completion below.'),
      action: 'none',
      alwaysShow: true,
    },
    { label: `$(debug-continue) ${vscode.l10n.t('Send to Tempo Anyway')}`, description: query, action: 'runAnyway', alwaysShow: true },
  ];
}

function startItems(store: SearchStore): Item[] {
  const out: Item[] = [{ label: vscode.l10n.t('Dynamo examples'), kind: vscode.QuickPickItemKind.Separator, action: 'none' }];
  for (const e of DYNAMO_EXAMPLES) out.push({ label: `$(lightbulb) ${exampleLabel(e.id)}`, description: e.query, action: 'fill', fill: { query: e.query }, alwaysShow: true });
  const saved = store.saved();
  if (saved.length) {
    out.push({ label: vscode.l10n.t('Saved'), kind: vscode.QuickPickItemKind.Separator, action: 'none' });
    for (const s of saved) out.push({ label: `$(bookmark) ${s.name}`, description: s.query, detail: rangeLabel(s.range), action: 'fill', fill: s, alwaysShow: true });
  }
  const recent = store.recent();
  if (recent.length) {
    out.push({ label: vscode.l10n.t('Recent'), kind: vscode.QuickPickItemKind.Separator, action: 'none' });
    for (const r of recent.slice(0, 10)) out.push({ label: `$(history) ${r.query}`, description: `${rangeLabel(r.range)} · ${formatAgo(r.at)}`, action: 'fill', fill: r, alwaysShow: true });
  }
  return out;
}

function completionItems(ctx: CompletionContext, list: readonly Suggestion[]): Item[] {
  if (!list.length) return [];
  const head: Item = { label: vscode.l10n.t('Completions'), kind: vscode.QuickPickItemKind.Separator, action: 'none' };
  return [
    head,
    ...list.map(
      (s): Item => ({
        label: `${icon(s.kind)} ${s.label}`,
        description: s.detail,
        action: 'complete',
        suggestion: s,
        ctx,
        alwaysShow: true,
      }),
    ),
  ];
}

function icon(kind: Suggestion['kind']): string {
  switch (kind) {
    case 'tag':
      return '$(symbol-field)';
    case 'value':
      return '$(symbol-value)';
    case 'operator':
      return '$(symbol-operator)';
    case 'keyword':
      return '$(symbol-keyword)';
    default:
      return '$(symbol-snippet)';
  }
}
