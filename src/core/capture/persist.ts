/**
 * Captures kept across restarts (`spanlens.capture.persist`): every accepted OTLP request is
 * appended, as received (decompressed), to a log file in the folder, and replayed into a new
 * store on start, which applies its limits as it goes — so what survives is what the store would
 * hold had it never stopped. Files roll over at 64 MiB; the oldest are deleted once the folder
 * holds more than twice the store's byte limit. A torn last record (a crash mid-write) is skipped.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Encoding, Signal } from './receiver/otlpIngest';

const MAGIC = Buffer.from('SPANLENS-CAPTURE1\n');
const FILE_BYTES = 64 * 1024 * 1024;
const KINDS: readonly [Signal, Encoding][] = [
  ['traces', 'protobuf'],
  ['traces', 'json'],
  ['logs', 'protobuf'],
  ['logs', 'json'],
];

export interface PersistedRequest {
  readonly signal: Signal;
  readonly encoding: Encoding;
  readonly body: Uint8Array;
}

export class CaptureLog {
  private fd = -1;
  private fileBytes = 0;

  constructor(
    readonly dir: string,
    private readonly maxFolderBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  private files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => /^capture-\d{8}\.otlplog$/.test(f))
      .sort();
  }

  /** Every stored request, oldest first. */
  *replay(): Generator<PersistedRequest> {
    for (const f of this.files()) {
      let data: Buffer;
      try {
        data = readFileSync(join(this.dir, f));
      } catch {
        continue;
      }
      if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) continue;
      let p = MAGIC.length;
      while (p + 5 <= data.length) {
        const kind = KINDS[data[p]!];
        const len = data.readUInt32LE(p + 1);
        if (!kind || p + 5 + len > data.length) break;
        yield { signal: kind[0], encoding: kind[1], body: data.subarray(p + 5, p + 5 + len) };
        p += 5 + len;
      }
    }
  }

  append(signal: Signal, encoding: Encoding, body: Uint8Array): void {
    if (this.fd < 0 || this.fileBytes > FILE_BYTES) this.roll();
    const head = Buffer.alloc(5);
    head[0] = KINDS.findIndex(([s, e]) => s === signal && e === encoding);
    head.writeUInt32LE(body.byteLength, 1);
    writeSync(this.fd, head);
    writeSync(this.fd, body);
    this.fileBytes += 5 + body.byteLength;
  }

  private roll(): void {
    if (this.fd >= 0) closeSync(this.fd);
    const files = this.files();
    const last = files.length ? Number(/(\d{8})/.exec(files[files.length - 1]!)![1]) : 0;
    const path = join(this.dir, `capture-${String(last + 1).padStart(8, '0')}.otlplog`);
    this.fd = openSync(path, 'a');
    writeSync(this.fd, MAGIC);
    this.fileBytes = fstatSync(this.fd).size;
    this.prune();
  }

  /** Oldest files go once the folder is over its budget (never the one being written). */
  private prune(): void {
    const files = this.files();
    let total = files.reduce((n, f) => n + statSync(join(this.dir, f)).size, 0);
    for (const f of files.slice(0, -1)) {
      if (total <= this.maxFolderBytes) break;
      total -= statSync(join(this.dir, f)).size;
      rmSync(join(this.dir, f), { force: true });
    }
  }

  /** Clear: every stored request goes. */
  clear(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    for (const f of this.files()) rmSync(join(this.dir, f), { force: true });
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  static exists(dir: string): boolean {
    return existsSync(dir);
  }
}
