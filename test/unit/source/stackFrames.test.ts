import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStackFrames } from '../../../src/core/source/stackFrames';

const cases: Array<{ name: string; text: string; want: ReturnType<typeof parseStackFrames> }> = [
  {
    name: 'Python traceback (printed outermost first): innermost first',
    text: [
      'Traceback (most recent call last):',
      '  File "/opt/dynamo/lib/bindings/python/src/dynamo/llm/handler.py", line 88, in generate',
      '    async for out in self.engine.generate(request):',
      '  File "/opt/dynamo/components/backends/vllm/src/dynamo/vllm/engine.py", line 142, in generate',
      '    raise RuntimeError("CUDA out of memory")',
      'RuntimeError: CUDA out of memory',
    ].join('\n'),
    want: [
      { path: '/opt/dynamo/components/backends/vllm/src/dynamo/vllm/engine.py', line: 142, function: 'generate' },
      { path: '/opt/dynamo/lib/bindings/python/src/dynamo/llm/handler.py', line: 88, function: 'generate' },
    ],
  },
  {
    name: 'Rust backtrace: function lines then `at path:line:col`',
    text: [
      'stack backtrace:',
      '   0: dynamo_runtime::pipeline::network::egress::push::route',
      '             at /opt/dynamo/lib/runtime/src/pipeline/network/egress/push.rs:142:13',
      '   1: <dynamo_llm::kv_router::KvRouter as core::future::Future>::poll',
      '             at /root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.43.0/src/runtime/task/core.rs:331:17',
      '   2: std::rt::lang_start_internal',
    ].join('\n'),
    want: [
      { path: '/opt/dynamo/lib/runtime/src/pipeline/network/egress/push.rs', line: 142, column: 13, function: 'dynamo_runtime::pipeline::network::egress::push::route' },
      { path: '/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.43.0/src/runtime/task/core.rs', line: 331, column: 17, function: '<dynamo_llm::kv_router::KvRouter as core::future::Future>::poll' },
    ],
  },
  {
    name: 'Rust panic message',
    text: "thread 'tokio-runtime-worker' panicked at lib/llm/src/kv_router.rs:77:9:\nindex out of bounds",
    want: [{ path: 'lib/llm/src/kv_router.rs', line: 77, column: 9 }],
  },
  {
    name: 'Go goroutine dump',
    text: [
      'goroutine 1 [running]:',
      'main.handler(0xc000010000, 0x1)',
      '\t/home/dev/app/server/main.go:42 +0x1d',
      'net/http.HandlerFunc.ServeHTTP(...)',
      '\t/usr/local/go/src/net/http/server.go:2136',
    ].join('\n'),
    want: [
      { path: '/home/dev/app/server/main.go', line: 42, function: 'main.handler' },
      { path: '/usr/local/go/src/net/http/server.go', line: 2136, function: 'net/http.HandlerFunc.ServeHTTP' },
    ],
  },
  {
    name: 'Java: the package gives the folders',
    text: 'java.lang.IllegalStateException: boom\n\tat com.example.shop.Cart.checkout(Cart.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n\t... 3 more',
    want: [
      { path: 'com/example/shop/Cart.java', line: 42, function: 'com.example.shop.Cart.checkout' },
      { path: 'java/lang/Thread.java', line: 833, function: 'java.base/java.lang.Thread.run' },
    ],
  },
  {
    name: 'JavaScript / TypeScript (V8): named, bare and file: URL frames',
    text: [
      'Error: boom',
      '    at handle (/srv/app/src/routes/chat.ts:12:34)',
      '    at async Promise.all (index 0)',
      '    at /srv/app/dist/index.js:1:2',
      '    at async run (file:///srv/app/src/main.mjs:3:4)',
    ].join('\n'),
    want: [
      { path: '/srv/app/src/routes/chat.ts', line: 12, column: 34, function: 'handle' },
      { path: '/srv/app/dist/index.js', line: 1, column: 2 },
      { path: 'file:///srv/app/src/main.mjs', line: 3, column: 4, function: 'run' },
    ],
  },
  { name: 'plain text is no frames', text: 'connection reset by peer', want: [] },
  { name: 'a huge hostile text is bounded', text: 'at x (/a.js:1:1)\n'.repeat(100_000).replace(/^/, ''), want: [] },
];

for (const c of cases) {
  test(`stack frames: ${c.name}`, () => {
    const got = parseStackFrames(c.text);
    if (c.name.startsWith('a huge')) {
      assert.ok(got.length <= 200);
      return;
    }
    assert.deepEqual(got, c.want);
  });
}
