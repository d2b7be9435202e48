import * as vscode from 'vscode';
import { lookupSettings, type LookupSettings } from '../../core/correlate/settings';

/**
 * `spanlens.lookup.*` as the lookup core takes them. A value it cannot use is replaced by the
 * default and said once per value in the log, so a typo does not silently change what is searched.
 */
const reported = new Set<string>();

export function readLookupSettings(log?: vscode.LogOutputChannel): LookupSettings {
  const c = vscode.workspace.getConfiguration('spanlens.lookup');
  const { settings, problems } = lookupSettings({
    attributes: c.get('attributes'),
    lookBack: c.get('lookBack'),
    otlpSelector: c.get('logs.otlpSelector'),
    jsonlSelector: c.get('logs.jsonlSelector'),
    metrics: c.get('metrics'),
    maxTraces: c.get('maxTraces'),
    maxLogLines: c.get('maxLogLines'),
  });
  for (const p of problems) {
    if (reported.has(p)) continue;
    reported.add(p);
    log?.warn(`${p}; using the default`);
  }
  return settings;
}
