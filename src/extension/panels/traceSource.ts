import * as vscode from 'vscode';
import { layoutTrace, type FlameLayout } from '../../core/flame/layout';
import { spanDetails, toFlameData } from '../../core/flame/flameData';
import { parseTraceText } from '../../core/formats';
import type { ParsedTraces, Trace } from '../../core/model/trace';
import type { FlameData, SpanDetails, TraceChoice } from '../../core/protocol';

/** One trace file as read: the parsed traces, or why it could not be parsed. */
export type Loaded =
  | { readonly ok: true; readonly parsed: ParsedTraces }
  | { readonly ok: false; readonly error: string };

/**
 * Holds a file's traces for a view and lays out only the one on screen; layouts are kept so
 * switching back is instant and span details index into the same boxes the webview drew.
 */
export class TraceSource {
  private layouts = new Map<number, FlameLayout>();
  selected = 0;

  constructor(
    readonly uri: vscode.Uri,
    private loaded: Loaded,
  ) {}

  static async read(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<TraceSource> {
    return new TraceSource(uri, await readTraces(uri, log));
  }

  async reload(log: vscode.LogOutputChannel): Promise<void> {
    this.loaded = await readTraces(this.uri, log);
    this.layouts.clear();
    this.selected = 0;
  }

  get error(): string | null {
    return this.loaded.ok ? null : this.loaded.error;
  }

  get traces(): readonly Trace[] {
    return this.loaded.ok ? this.loaded.parsed.traces : [];
  }

  get warnings(): readonly string[] {
    return this.loaded.ok ? this.loaded.parsed.warnings : [];
  }

  choices(): TraceChoice[] {
    return this.traces.map((t) => {
      const root = [...t.spans].filter((s) => !s.parentSpanId).sort((a, b) => (a.start < b.start ? -1 : 1))[0] ?? t.spans[0];
      const label = root ? `${root.resource.serviceName}: ${root.name}` : t.traceId;
      return { traceId: t.traceId, label: `${label} (${t.spans.length}) ${t.traceId.slice(0, 8)}` };
    });
  }

  private layout(index: number): FlameLayout {
    let l = this.layouts.get(index);
    if (!l) {
      l = layoutTrace(this.traces[index]!);
      this.layouts.set(index, l);
    }
    return l;
  }

  /** The selected trace, ready to draw; null when the file holds none. */
  flame(): FlameData | null {
    const t = this.traces[this.selected];
    return t ? toFlameData(t, this.layout(this.selected)) : null;
  }

  boxCount(): number {
    return this.traces[this.selected] ? this.layout(this.selected).count : 0;
  }

  details(box: number): SpanDetails {
    return spanDetails(this.traces[this.selected]!, this.layout(this.selected), box);
  }
}

async function readTraces(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<Loaded> {
  let text: string;
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    text = new TextDecoder('utf-8').decode(bytes);
  } catch (err) {
    const msg = vscode.l10n.t('Cannot read {0}: {1}', uri.fsPath || uri.toString(), err instanceof Error ? err.message : String(err));
    log.warn(msg);
    return { ok: false, error: msg };
  }
  try {
    const started = Date.now();
    const parsed = parseTraceText(text);
    log.info(`parsed ${uri.toString()}: ${parsed.format}, ${parsed.traces.length} trace(s) in ${Date.now() - started} ms`);
    if (parsed.traces.length === 0) {
      return { ok: false, error: vscode.l10n.t('{0} holds no spans.', uri.path.split('/').pop() ?? '') };
    }
    return { ok: true, parsed };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    log.info(`not a trace: ${uri.toString()}: ${reason}`);
    return { ok: false, error: reason };
  }
}
