/**
 * A parsed TraceQL filter (traceql.ts) compiled against the capture store's span columns: a test
 * per row that reads ids, not strings (an equality compares interned ids; a regex runs once per
 * distinct string), and the candidate traces the indexes give for it — attribute pairs, span
 * names and resources — so an equality search touches only the traces that hold the value.
 */
import type { Scalar } from '../store/attrs';
import type { SpanTable, TraceRec } from '../store/spans';
import { SEG, SEG_BITS } from '../store/spans';
import { TraceqlError, type CompareOp, type Expr, type Field, type Literal } from './traceql';

const MASK = SEG - 1;
const CODE_INDEX = { unset: 0, ok: 1, error: 2 } as const;
const KIND_INDEX = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface CompiledFilter {
  /** Does span `row` of trace `t` match? */
  test(row: number, t: TraceRec): boolean;
  /** Trace sequence numbers that may match (a superset), or undefined when every trace may. */
  candidates(): Set<number> | undefined;
  /** The value of a referenced field on a row, for search results. */
  readonly fields: readonly Field[];
}

/** An id as Tempo compares them: hex, case-insensitive, left-padded to its width; undefined if not hex. */
function normalizeId(v: string, width: 16 | 32): string | undefined {
  const s = v.trim().toLowerCase();
  return /^[0-9a-f]+$/.test(s) && s.length <= width ? s.padStart(width, '0') : undefined;
}

function ordered(c: number, op: CompareOp): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    default:
      return false;
  }
}

/**
 * Tempo's regular expressions are anchored, as in Prometheus and Loki. One that does not compile
 * is the query's fault, told as Tempo tells it, not a SyntaxError out of the store.
 */
function anchored(re: string): RegExp {
  try {
    return new RegExp(`^(?:${re})$`, 'su');
  } catch {
    throw new TraceqlError(`error parsing regexp: invalid regular expression ${JSON.stringify(re)}`);
  }
}

export function compileFilter(expr: Expr, table: SpanTable, fields: readonly Field[]): CompiledFilter {
  const pool = table.pool;
  const codec = table.codec;

  /** A test on a string id (interned), for names, status messages and string attributes. */
  const stringTest = (lit: Literal, op: CompareOp): ((id: number) => boolean) => {
    if (lit.t !== 'string') return () => false;
    if (op === '=~' || op === '!~') {
      const re = anchored(lit.v);
      const cache = new Map<number, boolean>();
      return (id) => {
        let m = cache.get(id);
        if (m === undefined) cache.set(id, (m = re.test(pool.get(id))));
        return m === (op === '=~');
      };
    }
    const sid = pool.find(lit.v);
    if (op === '=') return sid === undefined ? () => false : (id) => id === sid;
    if (op === '!=') return sid === undefined ? () => true : (id) => id !== sid;
    const v = lit.v;
    return (id) => {
      const s = pool.get(id);
      return ordered(s < v ? -1 : s > v ? 1 : 0, op);
    };
  };

  const scalarTest = (lit: Literal, op: CompareOp): ((s: Scalar) => boolean) => {
    const str = stringTest(lit, op);
    return (s) => {
      switch (s.t) {
        case 'str':
          return str(s.id);
        case 'num':
          if (lit.t !== 'number') return false;
          return ordered(s.v < lit.v ? -1 : s.v > lit.v ? 1 : s.v === lit.v ? 0 : NaN, op);
        case 'bool':
          return lit.t === 'bool' && (op === '=' ? s.v === lit.v : op === '!=' ? s.v !== lit.v : false);
        default:
          return false;
      }
    };
  };

  const compile = (e: Expr): ((row: number, t: TraceRec) => boolean) => {
    if (e.k === 'true') return () => true;
    if (e.k !== 'cond') {
      const l = compile(e.l);
      const r = compile(e.r);
      return e.k === 'and' ? (row, t) => l(row, t) && r(row, t) : (row, t) => l(row, t) || r(row, t);
    }
    const { field, op, lit } = e;
    if (field.scope === 'intrinsic') return intrinsic(field.name, op, lit);
    const key = pool.find(field.name);
    if (key === undefined) return () => false; // no stored span has an attribute of that name
    const test = scalarTest(lit, op);
    const spanAttr = (row: number): boolean => {
      const seg = table.segments[row >>> SEG_BITS]!;
      const i = row & MASK;
      const s = codec.find(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!, key);
      return s !== undefined && test(s);
    };
    const resCache = new Map<number, boolean>();
    const resAttr = (row: number): boolean => {
      const res = table.segments[row >>> SEG_BITS]!.res[row & MASK]!;
      let m = resCache.get(res);
      if (m === undefined) {
        const rec = table.catalog.resources[res]!;
        const s = codec.find(rec.words, 0, rec.count, key);
        resCache.set(res, (m = s !== undefined && test(s)));
      }
      return m;
    };
    if (field.scope === 'span') return (row) => spanAttr(row);
    if (field.scope === 'resource') return (row) => resAttr(row);
    return (row) => spanAttr(row) || resAttr(row);
  };

  const intrinsic = (name: Field['name'], op: CompareOp, lit: Literal): ((row: number, t: TraceRec) => boolean) => {
    const seg = (row: number) => table.segments[row >>> SEG_BITS]!;
    switch (name) {
      case 'name': {
        const test = stringTest(lit, op);
        return (row) => test(seg(row).name[row & MASK]!);
      }
      case 'statusMessage': {
        const test = stringTest(lit, op);
        return (row) => test(seg(row).statusMsg[row & MASK]!);
      }
      case 'status': {
        const want = lit.t === 'status' ? CODE_INDEX[lit.v] : -1;
        return (row) => (((seg(row).kindStatus[row & MASK]! >> 3) & 3) === want) === (op === '=');
      }
      case 'kind': {
        const want = lit.t === 'kind' ? KIND_INDEX[lit.v] : -1;
        return (row) => ((seg(row).kindStatus[row & MASK]! & 7) === want) === (op === '=');
      }
      case 'duration': {
        const ns = lit.t === 'duration' ? lit.ns : NaN;
        return (row) => {
          const d = table.durationNs(row);
          return ordered(d < ns ? -1 : d > ns ? 1 : 0, op);
        };
      }
      case 'traceDuration': {
        const ns = lit.t === 'duration' ? lit.ns : NaN;
        return (_row, t) => {
          const d = Number(t.end - t.start);
          return ordered(d < ns ? -1 : d > ns ? 1 : 0, op);
        };
      }
      case 'rootName': {
        const test = stringTest(lit, op);
        return (_row, t) => t.root >= 0 && test(seg(t.root).name[t.root & MASK]!);
      }
      case 'spanId': {
        const want = lit.t === 'string' ? normalizeId(lit.v, 16) : undefined;
        return (row) => (table.spanIdHex(row) === want) === (op === '=');
      }
      case 'traceId': {
        const want = lit.t === 'string' ? normalizeId(lit.v, 32) : undefined;
        return (_row, t) => (t.id === want) === (op === '=');
      }
      default: {
        const test = stringTest(lit, op);
        return (_row, t) => t.root >= 0 && test(table.catalog.resources[seg(t.root).res[t.root & MASK]!]!.service);
      }
    }
  };

  /** Candidate traces for an expression, or undefined for "any". */
  const candidates = (e: Expr): Set<number> | undefined => {
    if (e.k === 'true') return undefined;
    if (e.k !== 'cond') {
      const l = candidates(e.l);
      const r = candidates(e.r);
      if (e.k === 'or') {
        if (!l || !r) return undefined;
        for (const x of r) l.add(x);
        return l;
      }
      if (!l) return r;
      if (!r) return l;
      const out = new Set<number>();
      const [small, big] = l.size < r.size ? [l, r] : [r, l];
      for (const x of small) if (big.has(x)) out.add(x);
      return out;
    }
    const { field, op, lit } = e;
    if (op !== '=') return undefined;
    if (field.scope === 'intrinsic' && lit.t === 'string' && (field.name === 'spanId' || field.name === 'traceId')) {
      if (field.name === 'traceId') {
        const t = table.traces.get(normalizeId(lit.v, 32) ?? '');
        return new Set(t ? [t.seq] : []);
      }
      const id = normalizeId(lit.v, 16);
      const row = id ? table.rowOfSpanId(id) : -1;
      return new Set(row >= 0 ? [table.segments[row >>> SEG_BITS]!.trace[row & MASK]!] : []);
    }
    if (field.scope === 'intrinsic') {
      if (field.name !== 'name' || lit.t !== 'string') return undefined;
      const sid = pool.find(lit.v);
      return new Set(sid === undefined ? [] : (table.namePostings.get(sid) ?? []));
    }
    const key = pool.find(field.name);
    if (key === undefined) return new Set();
    const out = new Set<number>();
    if (field.scope !== 'resource') {
      if (!codec.pairsComplete(key)) return undefined;
      // Strings and booleans are always interned as pairs, so their postings are complete; numbers
      // are not (a large int, or a double equal to the int, is stored inline), so they have no index.
      let pair: number | undefined;
      if (lit.t === 'string') {
        const sid = pool.find(lit.v);
        pair = sid === undefined ? undefined : codec.stringPair(key, sid);
      } else if (lit.t === 'bool') pair = codec.boolPair(key, lit.v);
      else return undefined;
      if (pair !== undefined) for (const seq of codec.postings[pair] ?? []) out.add(seq);
    }
    if (field.scope !== 'span') {
      const test = scalarTest(lit, op);
      for (const rec of table.catalog.resources) {
        if (!rec) continue;
        const s = codec.find(rec.words, 0, rec.count, key);
        if (s !== undefined && test(s)) for (const seq of rec.postings) out.add(seq);
      }
    }
    return out;
  };

  return { test: compile(expr), candidates: () => candidates(expr), fields };
}
