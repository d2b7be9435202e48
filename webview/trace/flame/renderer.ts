import { grown } from '../../../src/core/arrays/grown';
import { DrawList, rowDrawList } from '../../../src/core/flame/lod';
import { FLAG_ERROR, FLAG_MISSING_PARENT } from '../../../src/core/protocol/trace';
import type { Palette } from '../colors';
import { MARK_MATCH, type TraceModel } from '../model';

/** What part of the trace to draw: a time window and a band of rows (fractional rows allowed). */
export interface SourceRect {
  readonly t0: number;
  readonly t1: number;
  readonly row0: number;
  readonly row1: number;
}

/** Where to draw it on the canvas, in CSS pixels. */
export interface TargetRect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface RenderState {
  readonly selected: number;
  readonly hovered: number;
  /** Times (ns offsets) of the selected span's events, marked on its box. */
  readonly events?: readonly number[];
  /** Names, borders and markers; off for the minimap. */
  readonly detail: boolean;
}

/** One drawn item of the last frame, for hit testing: its row, extent and what it stands for. */
export interface DrawnItem {
  readonly row: number;
  readonly x0: number;
  readonly x1: number;
  readonly box: number;
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

const DIM_ALPHA = 0.28;
const MERGED_ALPHA = 0.75;

/** A growable list of item indices, reused from frame to frame. */
class IndexList {
  length = 0;
  at = new Int32Array(256);

  push(i: number): void {
    if (this.length === this.at.length) this.at = grown(this.at);
    this.at[this.length++] = i;
  }
}

/** Item bits: an error inside, a search match, a parent missing from the trace. */
const BIT_ERROR = 1;
const BIT_MATCH = 2;
const BIT_MISSING_PARENT = 4;

/** Labels: "+N" or a name inside a box at least this wide; a name after a box with this much room. */
const MIN_LABEL_BOX = 26;
const MIN_LABEL_ROOM = 40;

/** Room for a label after an item ending at `end` when the row is free up to `next`. */
function roomAfter(end: number, next: number): number {
  return next - end - 6;
}

/** Growable per-frame columns, so a frame allocates nothing once warm. */
class FrameItems {
  length = 0;
  x = new Float64Array(4096);
  y = new Float64Array(4096);
  w = new Float64Array(4096);
  row = new Int32Array(4096);
  box = new Int32Array(4096);
  count = new Int32Array(4096);
  first = new Int32Array(4096);
  last = new Int32Array(4096);
  /** Colour key * 2 + (lit ? 1 : 0). */
  group = new Int32Array(4096);
  /** BIT_* flags. */
  bits = new Uint8Array(4096);
  /**
   * The few items that get decorations (any bit) or may get a label, so those passes cost what
   * they draw, not a visit to every item (thousands of slivers near the whole-trace view).
   */
  readonly marked = new IndexList();
  readonly labelled = new IndexList();

  clear(): void {
    this.length = 0;
    this.marked.length = 0;
    this.labelled.length = 0;
  }

  /** Appends an item; returns its index. */
  push(x: number, y: number, w: number, row: number, box: number, count: number, first: number, last: number, group: number, bits: number): number {
    if (this.length === this.x.length) this.grow();
    const i = this.length++;
    this.x[i] = x;
    this.y[i] = y;
    this.w[i] = w;
    this.row[i] = row;
    this.box[i] = box;
    this.count[i] = count;
    this.first[i] = first;
    this.last[i] = last;
    this.group[i] = group;
    this.bits[i] = bits;
    if (bits !== 0) this.marked.push(i);
    return i;
  }

  private grow(): void {
    this.x = grown(this.x);
    this.y = grown(this.y);
    this.w = grown(this.w);
    this.row = grown(this.row);
    this.box = grown(this.box);
    this.count = grown(this.count);
    this.first = grown(this.first);
    this.last = grown(this.last);
    this.group = grown(this.group);
    this.bits = grown(this.bits);
  }
}

/**
 * Draws a source rectangle of the trace (a time window × a band of rows) into a target rectangle
 * of a 2D canvas. The work is bounded by the target, not the trace: each row goes through the
 * level of detail (at most about one item per pixel column), rows thinner than a pixel are
 * sampled, and fills are batched by colour so a frame makes one fill call per colour. The main
 * flame view and the minimap both draw through here.
 */
export class FlameRenderer {
  private readonly list = new DrawList();
  private readonly items = new FrameItems();
  private order = new Int32Array(4096);
  private readonly textWidth = new Map<number, number>();
  private font = '';
  /**
   * The window handed to the level of detail, one object for every frame. Its fields start as
   * doubles: the first frame's t0 is 0, and a field V8 typed as a small integer is re-typed at
   * the first zoom, which throws away the code compiled for the first frames.
   */
  private readonly win = { t0: NaN, nsPerPx: NaN, width: NaN };

  constructor(
    private model: TraceModel,
    private colors: Palette,
  ) {}

  setColors(colors: Palette): void {
    this.colors = colors;
  }

  setModel(model: TraceModel): void {
    this.model = model;
    this.textWidth.clear();
  }

  /** Items of the last draw; valid until the next one. */
  get drawn(): { readonly length: number; item(i: number): DrawnItem } {
    const it = this.items;
    return {
      length: it.length,
      item: (i) => ({ row: it.row[i]!, x0: it.x[i]!, x1: it.x[i]! + it.w[i]!, box: it.box[i]!, count: it.count[i]!, first: it.first[i]!, last: it.last[i]! }),
    };
  }

  draw(g: CanvasRenderingContext2D, src: SourceRect, dst: TargetRect, state: RenderState): void {
    const m = this.model;
    const d = m.data;
    const c = this.colors;
    const items = this.items;
    items.clear();
    g.fillStyle = c.background;
    g.fillRect(dst.x, dst.y, dst.w, dst.h);
    if (d.count === 0 || dst.w <= 0 || dst.h <= 0) return;
    const rowH = dst.h / Math.max(src.row1 - src.row0, 1e-9);
    const nsPerPx = Math.max(src.t1 - src.t0, 1e-9) / dst.w;
    const win = this.win;
    win.t0 = src.t0;
    win.nsPerPx = nsPerPx;
    win.width = dst.w;
    const rows = { boxes: d.rowBoxes, start: d.start, end: d.end };
    const dimming = m.dimming;
    const step = rowH >= 1 ? 1 : Math.ceil(1 / rowH);
    const r0 = Math.max(0, Math.floor(src.row0));
    const r1 = Math.min(d.rowCount, Math.ceil(src.row1));
    const boxH = rowH >= 1 ? Math.max(1, Math.round(rowH) - (state.detail ? 2 : rowH >= 4 ? 1 : 0)) : 1;
    const inset = rowH >= 1 && state.detail ? 1 : 0;
    for (let r = r0; r < r1; r += step) {
      const y = dst.y + (rowH >= 1 ? (r - src.row0) * rowH : Math.floor((r - src.row0) * rowH)) + inset;
      rowDrawList(rows, d.rowStart[r]!, d.rowStart[r + 1]!, win, this.list);
      this.collect(r, Math.round(y), dst, dimming);
    }
    this.fill(g, boxH);
    if (state.detail && rowH >= 8) this.decorate(g, boxH, dst, src, rowH, state);
  }

  /**
   * The row's draw list → this frame's items. Its own function, not a loop nested in draw: V8
   * then optimizes it whole, where a nested loop first runs as on-stack-replaced code that falls
   * back to the interpreter each time it exits, which made the first zooms after opening slow.
   */
  private collect(r: number, y: number, dst: TargetRect, dimming: boolean): void {
    const m = this.model;
    const L = this.list;
    const items = this.items;
    const flags = m.data.flags;
    const mark = m.mark;
    const keys = this.colors.keys;
    // A sliver may write its name after itself, if the row is free until the next item.
    let sliver = -1;
    for (let i = 0; i < L.length; i++) {
      const count = L.count[i]!;
      const box = L.box[i]!;
      const first = L.first[i]!;
      const last = L.last[i]!;
      const x0 = Math.max(L.x0[i]!, -1);
      const x1 = Math.min(L.x1[i]!, dst.w + 1);
      const lit = !dimming || (count === 1 ? m.isLit(box) : m.highlightedIn(first, last) > 0);
      let bits = 0;
      if (count === 1) {
        const f = flags[box]!;
        if (f & FLAG_ERROR) bits |= BIT_ERROR;
        if (f & FLAG_MISSING_PARENT) bits |= BIT_MISSING_PARENT;
        if (mark[box]! & MARK_MATCH) bits |= BIT_MATCH;
      } else if (m.errorsIn(first, last) > 0) bits = BIT_ERROR;
      // Whole pixels: a software rasterizer fills aligned rectangles several times faster than
      // anti-aliased ones, and at this scale a fraction of a pixel shows nothing.
      const px0 = Math.round(dst.x + x0);
      const px1 = Math.max(px0 + 1, Math.round(dst.x + x1));
      const k = items.push(px0, y, px1 - px0, r, box, count, first, last, keys[box]! * 2 + (lit ? 1 : 0), bits);
      if (sliver >= 0 && roomAfter(items.x[sliver]! + items.w[sliver]!, px0) > MIN_LABEL_ROOM) items.labelled.push(sliver);
      sliver = -1;
      if (px1 - px0 >= MIN_LABEL_BOX) items.labelled.push(k);
      else if (count === 1) sliver = k;
    }
    if (sliver >= 0 && roomAfter(items.x[sliver]! + items.w[sliver]!, dst.x + dst.w) > MIN_LABEL_ROOM) items.labelled.push(sliver);
  }

  /** Fills every item, colour group by colour group (a counting sort by group). */
  private fill(g: CanvasRenderingContext2D, boxH: number): void {
    const it = this.items;
    const c = this.colors;
    const groups = c.fills.length * 2;
    const counts = new Int32Array(groups + 1);
    for (let i = 0; i < it.length; i++) counts[it.group[i]! + 1]!++;
    for (let k = 0; k < groups; k++) counts[k + 1]! += counts[k]!;
    if (this.order.length < it.length) this.order = grown(this.order, it.length);
    const fillAt = counts.slice(0, groups);
    for (let i = 0; i < it.length; i++) this.order[fillAt[it.group[i]!]!++] = i;
    for (let k = 0; k < groups; k++) {
      const from = counts[k]!;
      const to = counts[k + 1]!;
      if (from === to) continue;
      g.fillStyle = c.fills[k >> 1]!;
      const alpha = (k & 1) === 1 ? 1 : DIM_ALPHA;
      // Merged marks draw paler than real boxes, so "many spans here" reads differently from one.
      g.globalAlpha = alpha;
      this.fillGroup(g, from, to, false, boxH);
      g.globalAlpha = alpha * MERGED_ALPHA;
      this.fillGroup(g, from, to, true, boxH);
    }
    g.globalAlpha = 1;
  }

  /**
   * Fills the items at order[from, to) that are (or are not) merged marks. Its own function for
   * the same reason as collect: an inner loop compiled on its own stack frame deoptimizes at each
   * exit, once per colour group per frame, until the whole function is optimized.
   */
  private fillGroup(g: CanvasRenderingContext2D, from: number, to: number, merged: boolean, boxH: number): void {
    const it = this.items;
    const order = this.order;
    // A run of touching narrow items of one colour in one row is one rectangle: they have no
    // gap between them to keep, and near the whole-trace view most items are such slivers.
    let rx = 0;
    let ry = 0;
    let rw = 0;
    for (let o = from; o < to; o++) {
      const i = order[o]!;
      if (it.count[i]! > 1 !== merged) continue;
      // Neighbours are told apart by a one-pixel gap, not a stroked border: strokes of tens of
      // thousands of boxes cost more than all the fills. One fillRect per box, not one path
      // of them all: a whole-pixel rectangle takes the rasterizer's fast path, a path of
      // thousands of rectangles its general filler (about twice the frame at 100k spans).
      const x = it.x[i]!;
      const y = it.y[i]!;
      const w = it.w[i]!;
      const drawn = w > 3 ? w - 1 : w;
      if (rw > 0 && y === ry && x === rx + rw && w <= 3) {
        rw += drawn;
        continue;
      }
      if (rw > 0) g.fillRect(rx, ry, rw, boxH);
      rx = x;
      ry = y;
      // A run only grows from a gap-less item; a wider one is drawn alone.
      if (w <= 3) rw = drawn;
      else {
        g.fillRect(x, y, drawn, boxH);
        rw = 0;
      }
    }
    if (rw > 0) g.fillRect(rx, ry, rw, boxH);
  }

  private avgChar = 0;

  /**
   * A name's width in pixels: estimated from the average character width when that clearly
   * fits or clearly does not fit `room`, measured (once per name, cached) when it is close.
   */
  private measure(g: CanvasRenderingContext2D, nameIndex: number, name: string, room: number): number {
    const cached = this.textWidth.get(nameIndex);
    if (cached !== undefined) return cached;
    if (!this.avgChar) this.avgChar = g.measureText('abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJ.0123456789').width / 48 || 7;
    const estimate = name.length * this.avgChar;
    if (estimate < room * 0.75 || estimate > room * 1.5) return estimate;
    const w = g.measureText(name).width;
    this.textWidth.set(nameIndex, w);
    return w;
  }

  /** Borders, error and missing-parent marks, the critical path, labels, selection. */
  private decorate(g: CanvasRenderingContext2D, boxH: number, dst: TargetRect, src: SourceRect, rowH: number, state: RenderState): void {
    const c = this.colors;
    const m = this.model;
    // The canvas may report the font normalized, so the cache follows the palette's own string.
    if (c.font !== this.font) {
      this.font = c.font;
      this.textWidth.clear();
      this.avgChar = 0;
    }
    g.font = c.font;
    this.outlineErrors(g, boxH);
    this.outlineMatches(g, boxH);
    this.markMissingParents(g);
    this.drawCritical(g, boxH, dst, src, rowH);
    if (rowH >= 14) this.labels(g, boxH, dst);
    if (m.logTime.length) this.drawLogMarks(g, boxH, dst, src);
    if (state.selected >= 0 && state.events?.length) this.drawEvents(g, state.selected, state.events, boxH, dst, src, rowH);
    if (state.hovered >= 0) this.outlineBox(g, state.hovered, c.hover, boxH);
    if (state.selected >= 0) this.outlineBox(g, state.selected, c.selected, boxH);
  }

  // One loop per function below, for the reason given at collect.

  /** Errors stand out in every colour mode: a full outline and a solid block at the start. */
  private outlineErrors(g: CanvasRenderingContext2D, boxH: number): void {
    const it = this.items;
    const marked = it.marked;
    g.strokeStyle = this.colors.error;
    g.fillStyle = this.colors.error;
    g.lineWidth = 2;
    g.beginPath();
    for (let j = 0; j < marked.length; j++) {
      const i = marked.at[j]!;
      if (!(it.bits[i]! & BIT_ERROR)) continue;
      const w = it.w[i]!;
      g.rect(it.x[i]! + 1, it.y[i]! + 1, Math.max(0, w - 2), boxH - 2);
      g.fillRect(it.x[i]!, it.y[i]!, Math.min(4, w), boxH);
    }
    g.stroke();
  }

  /** Search matches: an outline in the find-match colour. */
  private outlineMatches(g: CanvasRenderingContext2D, boxH: number): void {
    const it = this.items;
    const marked = it.marked;
    g.strokeStyle = this.colors.match;
    g.lineWidth = 2;
    g.beginPath();
    for (let j = 0; j < marked.length; j++) {
      const i = marked.at[j]!;
      if (it.bits[i]! & BIT_MATCH) g.rect(it.x[i]! + 1, it.y[i]! + 1, Math.max(0, it.w[i]! - 2), boxH - 2);
    }
    g.stroke();
  }

  /** Parent not in the trace (lost, or not yet received): a dashed top edge says so. */
  private markMissingParents(g: CanvasRenderingContext2D): void {
    const it = this.items;
    const marked = it.marked;
    g.strokeStyle = this.colors.text;
    g.lineWidth = 1;
    g.setLineDash([3, 3]);
    g.beginPath();
    for (let j = 0; j < marked.length; j++) {
      const i = marked.at[j]!;
      if (!(it.bits[i]! & BIT_MISSING_PARENT)) continue;
      g.moveTo(it.x[i]!, it.y[i]! + 0.5);
      g.lineTo(it.x[i]! + it.w[i]!, it.y[i]! + 0.5);
    }
    g.stroke();
    g.setLineDash([]);
  }

  /** The hovered or selected box's outline, on the item that holds it. */
  private outlineBox(g: CanvasRenderingContext2D, b: number, colour: string, boxH: number): void {
    const it = this.items;
    const m = this.model;
    const row = m.data.row[b];
    const pos = m.rowPosition(b);
    for (let i = 0; i < it.length; i++) {
      if (it.row[i] === row && it.first[i]! <= pos && it.last[i]! >= pos) {
        g.strokeStyle = colour;
        g.lineWidth = 2;
        g.strokeRect(it.x[i]! + 1, it.y[i]! + 1, Math.max(1, it.w[i]! - 2), boxH - 2);
        return;
      }
    }
  }

  /** A dot per log line at its time along the foot of its span's box (at most a few per pixel). */
  private drawLogMarks(g: CanvasRenderingContext2D, boxH: number, dst: TargetRect, src: SourceRect): void {
    const it = this.items;
    const m = this.model;
    const k = dst.w / (src.t1 - src.t0);
    g.fillStyle = this.colors.text;
    g.beginPath();
    for (let i = 0; i < it.length; i++) {
      if (it.count[i] !== 1) continue;
      const { from, to } = m.logsOf(it.box[i]!);
      let lastX = -Infinity;
      for (let j = from; j < to; j++) {
        const x = Math.round(dst.x + (m.logTime[j]! - src.t0) * k);
        if (x - lastX < 3 || x < it.x[i]! - 1 || x > it.x[i]! + it.w[i]! + 1) continue;
        lastX = x;
        g.rect(x - 1, it.y[i]! + boxH - 4, 2, 3);
      }
    }
    g.fill();
  }

  /** Ticks at the selected span's event times, on its box (a log line, an exception …). */
  private drawEvents(g: CanvasRenderingContext2D, b: number, events: readonly number[], boxH: number, dst: TargetRect, src: SourceRect, rowH: number): void {
    const d = this.model.data;
    const r = d.row[b]!;
    if (r < src.row0 - 1 || r > src.row1) return;
    const k = dst.w / (src.t1 - src.t0);
    const y = Math.round(dst.y + (r - src.row0) * rowH) + 1;
    g.fillStyle = this.colors.text;
    g.strokeStyle = this.colors.background;
    g.lineWidth = 1;
    for (const t of events) {
      if (t < src.t0 || t > src.t1) continue;
      const x = Math.round(dst.x + (t - src.t0) * k);
      // A small down-pointing triangle at the top of the box.
      g.beginPath();
      g.moveTo(x - 3, y);
      g.lineTo(x + 3, y);
      g.lineTo(x, y + Math.min(6, boxH - 1));
      g.closePath();
      g.fill();
      g.stroke();
    }
  }

  /** The stretches of each box the critical path runs through: a thick bar along the box's foot. */
  private drawCritical(g: CanvasRenderingContext2D, boxH: number, dst: TargetRect, src: SourceRect, rowH: number): void {
    const cp = this.model.critical;
    if (!cp) return;
    const d = this.model.data;
    const k = dst.w / (src.t1 - src.t0);
    g.fillStyle = this.colors.critical;
    for (let i = 0; i < cp.boxes.length; i++) {
      const b = cp.boxes[i]!;
      const r = d.row[b]!;
      if (r < src.row0 - 1 || r > src.row1) continue;
      const s = cp.start[i]!;
      const e = cp.end[i]!;
      if (e < src.t0 || s > src.t1) continue;
      const x0 = dst.x + Math.max(-1, (s - src.t0) * k);
      const x1 = dst.x + Math.min(dst.w + 1, (e - src.t0) * k);
      const y = dst.y + (r - src.row0) * rowH + 1;
      g.fillRect(x0, y + boxH - 4, Math.max(2, x1 - x0), 4);
    }
  }

  /**
   * Names in the boxes that hold them, "+N" on wide merged marks, and names after boxes too
   * narrow for them where the row is free. Only the items collect found room for are visited,
   * and the canvas state is set only when it changes.
   */
  private labels(g: CanvasRenderingContext2D, boxH: number, dst: TargetRect): void {
    const it = this.items;
    const d = this.model.data;
    const right = dst.x + dst.w;
    this.labelStyle = '';
    this.labelAlpha = -1;
    g.textBaseline = 'middle';
    const labelled = it.labelled;
    for (let j = 0; j < labelled.length; j++) {
      const i = labelled.at[j]!;
      const x = it.x[i]!;
      const w = it.w[i]!;
      const count = it.count[i]!;
      if (count > 1) {
        if (w >= MIN_LABEL_BOX) this.label(g, i, `+${count}`, Math.max(x, dst.x) + 3, w - 4, boxH, false);
        continue;
      }
      const left = Math.max(x, dst.x);
      const inside = x + w - left;
      if (inside > 28) {
        const nameIndex = d.name[it.box[i]!]!;
        const name = d.names[nameIndex];
        if (name) this.label(g, i, fit(name, this.measure(g, nameIndex, name, inside - 10), inside - 10), left + 5, inside - 8, boxH, false);
        continue;
      }
      // Too narrow to hold its name (a zero-length root, say): write it after the box when the
      // row is free there, so every span that has room on screen says what it is.
      const next = i + 1 < it.length && it.row[i + 1] === it.row[i] && it.y[i + 1] === it.y[i] ? it.x[i + 1]! : right;
      const room = roomAfter(x + w, next);
      if (room > MIN_LABEL_ROOM) {
        const nameIndex = d.name[it.box[i]!]!;
        const name = d.names[nameIndex];
        if (name) this.label(g, i, fit(name, this.measure(g, nameIndex, name, room), room), x + w + 3, room, boxH, true);
      }
    }
    g.globalAlpha = 1;
  }

  private labelStyle = '';
  private labelAlpha = -1;

  /** One label of item i, setting the colour and alpha only when they change. */
  private label(g: CanvasRenderingContext2D, i: number, text: string, x: number, maxW: number, boxH: number, muted: boolean): void {
    const it = this.items;
    const style = muted ? this.colors.mutedText : this.colors.text;
    const alpha = (it.group[i]! & 1) === 0 ? 0.55 : 1;
    if (style !== this.labelStyle) g.fillStyle = this.labelStyle = style;
    if (alpha !== this.labelAlpha) g.globalAlpha = this.labelAlpha = alpha;
    g.fillText(text, x, it.y[i]! + boxH / 2 + 0.5, maxW);
  }
}

/** The name cut to about `px` pixels, from its measured full width (one measurement per name). */
function fit(name: string, fullPx: number, px: number): string {
  if (fullPx <= px) return name;
  const chars = Math.floor((name.length * px) / fullPx) - 1;
  return chars < 1 ? '…' : `${name.slice(0, chars)}…`;
}
