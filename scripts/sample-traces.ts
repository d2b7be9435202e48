// Writes the demo workspace's sample data into a folder: generated Dynamo-shaped traces (Tempo's
// v2 JSON encoding) under traces/; their JSONL logs under logs/ as Dynamo writes them, as
// `docker compose logs` prints them and as `kubectl logs --prefix` prints them; and under dynamo/
// a stand-in for the Dynamo checkout holding every source file the generated spans and logs name
// (code.file.path, JSONL file, Python log.file), so span → source and log → source open a real
// file at the line. Usage: node --import tsx scripts/sample-traces.ts WORKSPACE
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseTraceValue } from '../src/core/formats';
import { generateTrace } from '../test/support/synth';
import { generateLogs } from '../test/support/synth/logs';
import { tempoEncode } from '../test/support/tempoEncode';

const ws = process.argv[2];
if (!ws) throw new Error('usage: sample-traces.ts WORKSPACE');
mkdirSync(join(ws, 'traces'), { recursive: true });
const files = new Set<string>();
for (const [name, spans, seed] of [['dynamo-request-200-spans', 200, 7], ['dynamo-request-5k-spans', 5000, 11]] as const) {
  const otlp = generateTrace({ spans, seed });
  writeFileSync(join(ws, 'traces', `${name}.tempo.json`), JSON.stringify(tempoEncode(otlp, { envelope: 'v2' })));
  for (const rs of otlp.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }>) {
    for (const ss of rs.scopeSpans) for (const s of ss.spans) for (const a of s.attributes) if (a.key === 'code.file.path' && a.value.stringValue) files.add(a.value.stringValue);
  }
}
// The 200-span request's logs, in the three ways they reach a file.
{
  const model = parseTraceValue(generateTrace({ spans: 200, seed: 7 })).traces[0]!;
  const lines = generateLogs([model], { shape: 'jsonl', seed: 7 });
  const compose: Record<string, string> = { 'dynamo-frontend': 'frontend-1', 'dynamo-worker-prefill': 'prefill-worker-1', 'dynamo-worker-decode': 'decode-worker-1' };
  const name = (l: (typeof lines)[number]) => compose[l.labels.service_name ?? ''] ?? 'dynamo-1';
  const width = Math.max(...Object.values(compose).map((c) => c.length));
  mkdirSync(join(ws, 'logs'), { recursive: true });
  writeFileSync(join(ws, 'logs', 'dynamo-request-200-spans.jsonl'), `${lines.map((l) => l.line).join('\n')}\n`);
  const traceback = [
    'Traceback (most recent call last):',
    '  File "/opt/dynamo/components/src/dynamo/vllm/handlers.py", line 212, in generate',
    '    async for out in self.engine_client.generate(prompt, sampling_params, request_id):',
    'RuntimeError: CUDA out of memory',
  ];
  writeFileSync(
    join(ws, 'logs', 'docker-compose.log'),
    [
      `Attaching to ${Object.values(compose).join(', ')}`,
      ...lines.map((l) => `${name(l).padEnd(width)}  | ${l.line}`),
      ...traceback.map((t) => `${'decode-worker-1'.padEnd(width)}  | ${t}`),
      '',
    ].join('\n'),
  );
  writeFileSync(join(ws, 'logs', 'kubectl-prefix.log'), `${lines.map((l) => `[pod/${l.metadata?.pod ?? 'dynamo-0'}/main] ${l.line}`).join('\n')}\n`);
  for (const l of lines) {
    const m = /"(?:file|log\.file)":"\/opt\/dynamo\/([^"]+)"/.exec(l.line);
    if (m) files.add(m[1]!);
  }
}
for (const f of files) {
  const path = join(ws, 'dynamo', f);
  if (existsSync(path)) continue; // the user may have edited it in the demo
  mkdirSync(dirname(path), { recursive: true });
  const comment = f.endsWith('.py') ? '#' : '//';
  const lines = [`${comment} ${f}: a stand-in for the Dynamo source file that the demo's spans and logs name.`, `${comment} Spanlens opened it at the line the span's code.line.number (or the log's file/line) gives.`];
  for (let i = lines.length + 1; i <= 1000; i++) lines.push(`${comment} line ${i}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}
