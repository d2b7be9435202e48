import * as vscode from 'vscode';
import type { Target } from '../../../core/backends/prometheus/types';
import { groupTargets, targetInstance, type TargetJob } from '../../../core/explorer/targets';
import type { Connections } from '../../backends/connections';
import { formatAgo } from './format';
import { RefreshingTree } from './refreshingTree';

export const TARGETS_VIEW = 'spanlens.targets';

export type TargetNode = { readonly kind: 'job'; readonly job: TargetJob } | { readonly kind: 'target'; readonly target: Target; readonly job: string } | { readonly kind: 'info'; readonly text: string };

/** The Targets view: Prometheus' active scrape targets by job, up or down, last error and scrape duration. */
export class TargetsView extends RefreshingTree<TargetJob[], TargetNode> {
  constructor(connections: Connections) {
    super(TARGETS_VIEW, {
      server: 'Prometheus',
      backend: 'prometheus',
      configured: () => connections.isConfigured('prometheus'),
      fetch: async (signal) => {
        const prom = (await connections.clients()).prometheus;
        return prom ? groupTargets(await prom.targets({ state: 'active', signal })) : [];
      },
    });
  }

  protected rootNodes(jobs: TargetJob[]): TargetNode[] {
    if (!jobs.length) return [{ kind: 'info', text: vscode.l10n.t('Prometheus scrapes no targets.') }];
    return jobs.map((job) => ({ kind: 'job', job }));
  }

  protected childNodes(node: TargetNode): TargetNode[] {
    return node.kind === 'job' ? node.job.targets.map((target) => ({ kind: 'target', target, job: node.job.job })) : [];
  }

  protected treeItem(node: TargetNode): vscode.TreeItem {
    if (node.kind === 'info') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    if (node.kind === 'job') {
      const j = node.job;
      const item = new vscode.TreeItem(j.job, j.down ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `job/${j.job}`;
      const total = j.targets.length;
      item.description = j.down ? vscode.l10n.t('{0} of {1} down', String(j.down), String(total)) : vscode.l10n.t('{0} of {1} up', String(j.up), String(total));
      item.iconPath = j.down
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
        : j.unknown
          ? new vscode.ThemeIcon('circle-large-outline')
          : new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
      item.contextValue = 'spanlens.targetJob';
      return item;
    }
    const t = node.target;
    const instance = targetInstance(t);
    const item = new vscode.TreeItem(instance, vscode.TreeItemCollapsibleState.None);
    item.id = `target/${node.job}/${t.scrapeUrl}/${instance}`;
    const took = t.lastScrapeDurationMs === undefined ? undefined : vscode.l10n.t('{0} ms', t.lastScrapeDurationMs.toFixed(1));
    const word = t.health === 'up' ? vscode.l10n.t('up') : t.health === 'down' ? vscode.l10n.t('down') : vscode.l10n.t('not scraped yet');
    item.description = [word, t.health === 'down' ? t.lastError : took].filter(Boolean).join(' · ');
    item.iconPath =
      t.health === 'up'
        ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
        : t.health === 'down'
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
          : new vscode.ThemeIcon('circle-large-outline');
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.appendText(`${node.job} · ${instance} — ${word}`).appendMarkdown('\n\n');
    md.appendText(vscode.l10n.t('Scrape URL: {0}', t.scrapeUrl)).appendMarkdown('\n\n');
    if (t.lastScrape) {
      const at = Date.parse(t.lastScrape);
      md.appendText(vscode.l10n.t('Last scrape: {0}', Number.isNaN(at) ? t.lastScrape : `${t.lastScrape} (${formatAgo(at)})`)).appendMarkdown('\n\n');
    }
    if (took) md.appendText(vscode.l10n.t('Last scrape took {0}', took)).appendMarkdown('\n\n');
    if (t.scrapeInterval) md.appendText(vscode.l10n.t('Every {0}, timeout {1}', t.scrapeInterval, t.scrapeTimeout ?? '?')).appendMarkdown('\n\n');
    if (t.lastError) md.appendText(vscode.l10n.t('Last error:')).appendCodeblock(t.lastError, 'text');
    md.appendCodeblock(
      Object.entries(t.labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n'),
      'text',
    );
    item.tooltip = md;
    item.contextValue = `spanlens.target.${t.health}`;
    item.accessibilityInformation = { label: `${node.job} ${instance}: ${item.description}` };
    return item;
  }
}
