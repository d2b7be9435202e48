/**
 * Frames of a stack trace as the common runtimes print them, innermost first, as far as each
 * format allows: Python tracebacks are printed outermost first and are reversed here. Lines that
 * are not frames (messages, "Caused by", "... 3 more") are skipped; a frame without a file (a
 * native or elided one) is left out, since there is nothing to open.
 */

export interface StackFrame {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly function?: string;
}

/** A stack trace is untrusted text: only this much of it is read. */
const MAX_TEXT = 256 * 1024;
const MAX_FRAMES = 200;

const positive = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

// Python: `  File "/opt/dynamo/x.py", line 12, in generate`
const PYTHON = /^\s*File "([^"]+)", line (\d+)(?:, in (.+))?$/;
// JavaScript/TypeScript (V8): `    at fn (/a/b.ts:12:34)`, `    at /a/b.js:1:2`, `    at async fn (file:///a/b.mjs:3:4)`
const V8_CALL = /^\s*at (?:async )?(.*?) \((.+?):(\d+)(?::(\d+))?\)$/;
const V8_BARE = /^\s*at (?:async )?((?:file:\/\/|\/|[A-Za-z]:[\\/]|\.\.?[\\/])[^()\s]*?):(\d+)(?::(\d+))?$/;
// Java: `\tat com.foo.Bar.baz(Bar.java:42)` (a file name, no folder)
const JAVA = /^\s*at ([\w$.<>/]+)\(([^():]+\.(?:java|kt|scala|groovy)):(\d+)\)$/;
// Go: `main.handler(0x1)` then `\t/home/u/app/main.go:42 +0x1d`
const GO_FILE = /^\s+(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;
const GO_FUNC = /^([\w./*()\-[\]]+)\(.*\)$/;
// Rust backtrace: `   3: dynamo_runtime::pipeline::run` then `             at /opt/dynamo/lib/runtime/src/pipeline.rs:42:13`
const RUST_FUNC = /^\s*\d+: (.+)$/;
const RUST_AT = /^\s+at (.+?):(\d+)(?::(\d+))?$/;
// Rust panic: `thread 'main' panicked at src/main.rs:10:5:` (older: `panicked at 'msg', src/main.rs:10:5`)
const RUST_PANIC = /panicked at (?:'.*', )?([^\s:][^:]*\.rs):(\d+):(\d+)/;

export function parseStackFrames(text: string): StackFrame[] {
  const lines = text.slice(0, MAX_TEXT).split(/\r?\n/);
  const frames: StackFrame[] = [];
  let python: StackFrame[] | undefined;
  let pendingFunction: string | undefined;
  for (const raw of lines) {
    if (frames.length + (python?.length ?? 0) >= MAX_FRAMES) break;
    const line = raw.length > 2000 ? raw.slice(0, 2000) : raw;
    let m = PYTHON.exec(line);
    if (m) {
      (python ??= []).push(frame(m[1]!, m[2], undefined, m[3]));
      pendingFunction = undefined;
      continue;
    }
    // Inside a Rust backtrace (a numbered function line came first), `at path:line:col` is its file.
    if ((m = RUST_AT.exec(line)) && (pendingFunction !== undefined || m[1]!.endsWith('.rs'))) {
      frames.push(frame(m[1]!, m[2], m[3], pendingFunction));
      pendingFunction = undefined;
      continue;
    }
    if ((m = V8_CALL.exec(line))) {
      frames.push(frame(m[2]!, m[3], m[4], m[1] || undefined));
      continue;
    }
    if ((m = V8_BARE.exec(line))) {
      frames.push(frame(m[1]!, m[2], m[3], undefined));
      continue;
    }
    if ((m = JAVA.exec(line))) {
      const qualified = m[1]!;
      // The class's package gives the folders: com.foo.Bar.baz → com/foo/Bar.java (a module
      // prefix, java.base/, is not a folder).
      const parts = qualified.slice(qualified.lastIndexOf('/') + 1).split('.');
      const pkg = parts.slice(0, -2);
      const path = pkg.length ? `${pkg.join('/')}/${m[2]!}` : m[2]!;
      frames.push(frame(path, m[3], undefined, qualified));
      continue;
    }
    if ((m = GO_FILE.exec(line))) {
      frames.push(frame(m[1]!, m[2], undefined, pendingFunction));
      pendingFunction = undefined;
      continue;
    }
    if ((m = RUST_PANIC.exec(line))) {
      frames.push(frame(m[1]!, m[2], m[3], undefined));
      continue;
    }
    if ((m = RUST_FUNC.exec(line))) {
      pendingFunction = m[1]!.trim();
      continue;
    }
    if ((m = GO_FUNC.exec(line.trim())) && !line.startsWith(' ') && !line.startsWith('\t')) {
      pendingFunction = m[1]!;
      continue;
    }
  }
  // Python prints the innermost call last.
  if (python) frames.unshift(...python.reverse());
  return frames.slice(0, MAX_FRAMES);
}

function frame(path: string, line: string | undefined, column: string | undefined, fn: string | undefined): StackFrame {
  const l = positive(line);
  const c = positive(column);
  return { path, ...(l !== undefined ? { line: l } : {}), ...(c !== undefined ? { column: c } : {}), ...(fn ? { function: fn } : {}) };
}
