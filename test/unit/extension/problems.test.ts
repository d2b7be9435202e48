import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendHealth } from '../../../src/core/backends/types';
import { loadExtensionModule } from './load';

interface BackendProblem {
  readonly backend: BackendHealth['backend'];
  readonly kind: NonNullable<BackendHealth['errorKind']>;
  readonly message: string;
}
const { actionsFor, refreshProblems } = loadExtensionModule<{
  actionsFor(kind: BackendProblem['kind']): ('setCredentials' | 'openSettings')[];
  refreshProblems(results: readonly BackendHealth[]): BackendProblem[];
}>('backends/problems');

describe('backend problems after a manual refresh', () => {
  it('a 401/403 offers to set credentials (and the settings)', () => {
    assert.deepEqual(actionsFor('auth'), ['setCredentials', 'openSettings']);
  });

  it('endpoint and settings problems offer the settings; others nothing', () => {
    assert.deepEqual(actionsFor('unreachable'), ['openSettings']);
    assert.deepEqual(actionsFor('timeout'), ['openSettings']);
    assert.deepEqual(actionsFor('config'), ['openSettings']);
    assert.deepEqual(actionsFor('queryRejected'), []);
  });

  it('reports the unauthorised backends only', () => {
    const results: BackendHealth[] = [
      { backend: 'tempo', url: 'http://t', state: 'unauthorised', errorKind: 'auth', error: 'Tempo at http://t requires authentication (HTTP 401 Unauthorized).' },
      { backend: 'loki', url: 'http://l', state: 'unreachable', errorKind: 'unreachable', error: 'Cannot reach Loki' },
      { backend: 'prometheus', url: 'http://p', state: 'ok', version: '2.42.0' },
    ];
    assert.deepEqual(refreshProblems(results), [{ backend: 'tempo', kind: 'auth', message: 'Tempo at http://t requires authentication (HTTP 401 Unauthorized).' }]);
    assert.deepEqual(actionsFor(refreshProblems(results)[0]!.kind)[0], 'setCredentials');
  });
});
