import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { otlpTypes } from '../../../src/core/formats/otlpSchema';

const root = join(__dirname, '../../..');

test('otlpSchema.json is what the vendored .proto files compile to', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts/otlp-schema.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('the schema carries the fields current senders use: span flags, log event_name, legacy instrumentation libraries', () => {
  const span = otlpTypes.TracesData.lookupType('opentelemetry.proto.trace.v1.Span');
  assert.equal(span.fields.flags?.id, 16);
  assert.equal(span.fields.flags?.type, 'fixed32');
  const rec = otlpTypes.LogsData.lookupType('opentelemetry.proto.logs.v1.LogRecord');
  assert.equal(rec.fields.eventName?.id, 12);
  const rs = otlpTypes.TracesData.lookupType('opentelemetry.proto.trace.v1.ResourceSpans');
  assert.equal(rs.fields.instrumentationLibrarySpans?.id, 1000);
  const status = otlpTypes.Status;
  assert.deepEqual(Object.keys(status.fields), ['code', 'message', 'details']);
});
