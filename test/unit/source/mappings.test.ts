import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandPathMappings } from '../../../src/core/source/mappings';

const folders = [{ name: 'dynamo', path: '/ws/dynamo' }, { name: 'tools', path: '/ws/tools' }];

test('${workspaceFolder} maps into each folder, ${workspaceFolder:name} into that one, a plain path as written', () => {
  assert.deepEqual(
    expandPathMappings(
      [
        { from: '/opt/dynamo', to: '${workspaceFolder}' },
        { from: '/root/.cargo/registry', to: '${workspaceFolder:tools}/vendor' },
        { from: '/build', to: '/home/me/src' },
      ],
      folders,
    ),
    [
      { from: '/opt/dynamo', to: '/ws/dynamo' },
      { from: '/opt/dynamo', to: '/ws/tools' },
      { from: '/root/.cargo/registry', to: '/ws/tools/vendor' },
      { from: '/build', to: '/home/me/src' },
    ],
  );
});

test('what is not a pair of strings, or names no open folder, is skipped', () => {
  assert.deepEqual(expandPathMappings('nope', folders), []);
  assert.deepEqual(expandPathMappings([null, 3, { from: '' , to: '/x' }, { from: '/a', to: ' ' }, { from: '/a' }, { from: '/a', to: '${workspaceFolder:gone}' }], folders), []);
});
