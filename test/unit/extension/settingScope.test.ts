import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtensionModule } from './load';

type SettingScope = 'global' | 'workspace' | 'workspaceFolder';
interface ScopedValues {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}
const { writeScope, overridingScope } = loadExtensionModule<{
  writeScope(values: ScopedValues | undefined, trusted: boolean, otherwise: SettingScope, holds?: (value: unknown) => boolean): SettingScope;
  overridingScope(values: ScopedValues | undefined, written: SettingScope, trusted: boolean): SettingScope | undefined;
}>('backends/settingScope');

describe('where a restricted setting is written', () => {
  it('untrusted workspace: user settings, even when a workspace or folder value exists', () => {
    assert.equal(writeScope({ workspaceValue: 'prod' }, false, 'workspace'), 'global');
    assert.equal(writeScope({ workspaceFolderValue: 'prod' }, false, 'global'), 'global');
  });

  it('trusted: the most specific scope that holds a value, so the write is not shadowed', () => {
    assert.equal(writeScope({ globalValue: 'a', workspaceValue: 'b', workspaceFolderValue: 'c' }, true, 'global'), 'workspaceFolder');
    assert.equal(writeScope({ globalValue: 'a', workspaceValue: 'b' }, true, 'global'), 'workspace');
    assert.equal(writeScope({ globalValue: 'a' }, true, 'workspace'), 'workspace', 'no workspace value: the caller decides');
    assert.equal(writeScope(undefined, true, 'global'), 'global');
  });
});

describe('where a change to one entry of an object setting is written', () => {
  const hasStaging = (v: unknown): boolean => typeof v === 'object' && v !== null && 'staging' in v;

  it('the most specific scope whose value holds the entry, even under a more specific value without it', () => {
    const values = { globalValue: { staging: {} }, workspaceValue: { prod: {} } };
    assert.equal(writeScope(values, true, 'global', hasStaging), 'global');
    assert.equal(writeScope({ globalValue: { staging: {} }, workspaceValue: { staging: {} } }, true, 'global', hasStaging), 'workspace');
  });

  it('an entry no scope holds yet: as for any write; untrusted: user settings regardless', () => {
    assert.equal(writeScope({ workspaceValue: { prod: {} } }, true, 'global', hasStaging), 'workspace');
    assert.equal(writeScope({ workspaceValue: { staging: {} } }, false, 'global', hasStaging), 'global');
  });
});

describe('which scope still overrides a write', () => {
  it('names the most specific scope above the written one that holds a value', () => {
    assert.equal(overridingScope({ globalValue: 'x', workspaceValue: 'y', workspaceFolderValue: 'z' }, 'global', true), 'workspaceFolder');
    assert.equal(overridingScope({ globalValue: 'x', workspaceValue: 'y' }, 'global', true), 'workspace');
    assert.equal(overridingScope({ workspaceValue: 'y', workspaceFolderValue: 'z' }, 'workspace', true), 'workspaceFolder');
    assert.equal(overridingScope({ globalValue: 'x' }, 'global', true), undefined);
    assert.equal(overridingScope({ globalValue: 'x', workspaceValue: 'y' }, 'workspaceFolder', true), undefined);
  });

  it('untrusted: workspace and folder values are not applied, so they override nothing', () => {
    assert.equal(overridingScope({ globalValue: 'x', workspaceValue: 'y' }, 'global', false), undefined);
  });
});
