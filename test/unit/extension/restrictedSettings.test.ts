/**
 * Untrusted workspaces: every `spanlens.*` setting is classified here, and exactly those that
 * choose where requests go, what they carry, how TLS is checked or which local files open are in
 * package.json's `restrictedConfigurations` — so VS Code ignores a cloned repository's values
 * for them until the folder is trusted. A new setting fails this test until it is classified.
 * test/e2e/untrusted.test.ts shows VS Code applying the list in a real untrusted workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, unknown> } };
};

/** Why each setting is or is not restricted. */
const CLASSIFIED: Readonly<Record<string, { restricted: boolean; why: string }>> = {
  'spanlens.tempo.url': { restricted: true, why: 'endpoint: where requests (and credentials) go' },
  'spanlens.loki.url': { restricted: true, why: 'endpoint' },
  'spanlens.prometheus.url': { restricted: true, why: 'endpoint' },
  'spanlens.environments': { restricted: true, why: 'endpoints, headers and TLS of named environments' },
  'spanlens.activeEnvironment': { restricted: true, why: 'picks which endpoints and credentials are used' },
  'spanlens.tenant': { restricted: true, why: 'header sent with every request (X-Scope-OrgID)' },
  'spanlens.headers': { restricted: true, why: 'headers sent with every request' },
  'spanlens.tls.caFile': { restricted: true, why: 'TLS: which CAs are trusted' },
  'spanlens.tls.insecureSkipVerify': { restricted: true, why: 'TLS: turns verification off' },
  'spanlens.source.pathMappings': { restricted: true, why: 'which local files a span or log line opens' },
  'spanlens.timeouts.connectMs': { restricted: false, why: 'tuning only' },
  'spanlens.timeouts.headersMs': { restricted: false, why: 'tuning only' },
  'spanlens.timeouts.bodyMs': { restricted: false, why: 'tuning only' },
  'spanlens.maxResponseSizeMB': { restricted: false, why: 'tuning only (bounded below by the schema)' },
  'spanlens.tempo.protobuf': { restricted: false, why: 'encoding of the same request to the same server' },
  'spanlens.health.pollIntervalSeconds': { restricted: false, why: 'timing only' },
  'spanlens.capture.ports.grpc': { restricted: true, why: 'which local port the capture binds (a workspace must not pick it)' },
  'spanlens.capture.ports.http': { restricted: true, why: 'which local port the capture binds' },
  'spanlens.capture.ports.query': { restricted: true, why: 'endpoint of the capture environment' },
  'spanlens.capture.persistFolder': { restricted: true, why: 'which local folder captures are written to' },
  'spanlens.capture.persist': { restricted: false, why: 'on/off only; the folder is restricted' },
  'spanlens.capture.maxSpans': { restricted: false, why: 'tuning only' },
  'spanlens.capture.maxLogRecords': { restricted: false, why: 'tuning only' },
  'spanlens.capture.maxMemoryMB': { restricted: false, why: 'tuning only' },
  'spanlens.trace.defaultView': { restricted: false, why: 'display only' },
  'spanlens.trace.colorBy': { restricted: false, why: 'display only' },
  'spanlens.health.endpoints': { restricted: true, why: 'endpoints: which servers the Health view asks' },
  'spanlens.explorer.refreshIntervalSeconds': { restricted: false, why: 'timing only' },
  'spanlens.search.limit': { restricted: false, why: 'how many results the same server returns' },
  'spanlens.services.lookbackMinutes': { restricted: false, why: 'the time range asked of the same server' },
  'spanlens.metrics.queries': { restricted: false, why: 'read-only PromQL asked of the same server (the user\'s Prometheus, with its own limits)' },
  'spanlens.lookup.attributes': { restricted: false, why: 'which attributes a read-only query of the same Tempo matches' },
  'spanlens.lookup.lookBack': { restricted: false, why: 'time ranges asked of the same servers' },
  'spanlens.lookup.logs.otlpSelector': { restricted: false, why: 'the read-only LogQL asked of the same Loki' },
  'spanlens.lookup.logs.jsonlSelector': { restricted: false, why: 'the read-only LogQL asked of the same Loki' },
  'spanlens.lookup.metrics': { restricted: false, why: 'the read-only PromQL asked of the same Prometheus' },
  'spanlens.lookup.maxTraces': { restricted: false, why: 'limits only' },
  'spanlens.lookup.maxLogLines': { restricted: false, why: 'limits only' },
};

test('every spanlens setting is classified for untrusted workspaces', () => {
  const declared = Object.keys(pkg.contributes.configuration.properties).filter((k) => k.startsWith('spanlens.'));
  assert.deepEqual(declared.filter((k) => !(k in CLASSIFIED)), [], 'classify new settings in CLASSIFIED');
  assert.deepEqual(Object.keys(CLASSIFIED).filter((k) => !declared.includes(k)), [], 'CLASSIFIED names a setting package.json no longer has');
});

test('restrictedConfigurations holds exactly the settings that steer requests, TLS or local files', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  const want = Object.entries(CLASSIFIED).filter(([, c]) => c.restricted).map(([k]) => k).sort();
  assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), want);
});
