import type { LoadMessage, LogFileState, LogRow, TraceMethods, WebviewStrings } from '../../../src/core/protocol/trace';
import { el } from '../../shared/dom';
import type { RpcClient } from '../../shared/rpc';
import { fill, groupDigits, plural } from '../../shared/text';
import { LogList, type RowStore } from './logList';

const PAGE = 500;

/**
 * A log file's rows, a page at a time from the host (the file may be a gigabyte); a page is asked
 * for once, and the list redraws when it arrives. Search runs in the host's worker.
 */
class PagedRows implements RowStore {
  total: number;
  private readonly pages = new Map<number, readonly LogRow[] | 'pending'>();

  constructor(
    total: number,
    private readonly rpc: RpcClient<TraceMethods>,
    private readonly arrived: () => void,
  ) {
    this.total = total;
  }

  get(index: number): LogRow | undefined {
    const page = this.pages.get(Math.floor(index / PAGE));
    return page && page !== 'pending' ? page[index % PAGE] : undefined;
  }

  want(indices: Int32Array): void {
    let last = -1;
    for (const index of indices) {
      const p = Math.floor(index / PAGE);
      if (p === last) continue;
      last = p;
      const have = this.pages.get(p);
      // A page cut short by the end of what was indexed is asked for again once there is more.
      if (have === 'pending' || (have && (have.length === PAGE || have.length === this.total - p * PAGE))) continue;
      this.pages.set(p, 'pending');
      void this.rpc.request('logRange', { from: p * PAGE, to: Math.min(this.total, (p + 1) * PAGE) }).then(
        (rows) => {
          this.pages.set(p, rows);
          this.arrived();
        },
        () => this.pages.delete(p),
      );
    }
  }

  search(text: string): Promise<{ readonly lines: Int32Array; readonly complete: boolean }> {
    return this.rpc.request('logSearch', { text });
  }
}

/** The log-file view: the file's name and how far it has been read, then the list. */
export class LogFileApp {
  private readonly list: LogList;
  private readonly rows: PagedRows;
  private readonly status: HTMLElement;

  constructor(root: HTMLElement, load: LoadMessage, state: LogFileState, rpc: RpcClient<TraceMethods>) {
    const s = load.strings;
    this.status = el('span', { className: 'stats', attrs: { 'data-testid': 'log-file-status', 'aria-live': 'polite' } });
    this.list = new LogList(s, {
      select: (i) => this.list.reveal(i),
      openSource: (index) => void rpc.request('openLogSource', { index }).catch(() => undefined),
      lookUp: (id) => void rpc.request('lookUp', { id }).catch(() => undefined),
    });
    this.rows = new PagedRows(state.lines, rpc, () => this.list.schedule());
    this.list.el.classList.add('log-file');
    root.replaceChildren(el('header', { className: 'toolbar' }, el('h1', { text: load.title, title: load.title }), this.status), this.list.el);
    this.list.setRows(this.rows);
    this.progress(state, s);
  }

  progress(state: LogFileState, s: WebviewStrings): void {
    const grew = state.lines !== this.rows.total || state.done;
    this.rows.total = state.lines;
    const pct = state.size ? Math.floor((state.bytes / state.size) * 100) : 100;
    this.status.textContent = state.error ?? (state.done ? plural(state.lines, s.logsCountOne, s.logsCount) : fill(s.logsReading, [groupDigits(state.lines), String(pct)]));
    this.status.dataset.lines = String(state.lines);
    this.status.dataset.done = String(state.done);
    if (grew) this.list.grow(state.done);
  }
}
