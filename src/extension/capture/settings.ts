import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { CapturePorts } from '../../core/capture/server';
import { DEFAULT_LIMITS, type StoreLimits } from '../../core/capture/store/store';
import { capturePort } from '../config';

export interface CaptureSettings {
  readonly ports: CapturePorts;
  readonly limits: StoreLimits;
  /** Where captures are kept across reloads; undefined when spanlens.capture.persist is off. */
  readonly persistDir?: string;
}

/** spanlens.capture.*; a value of the wrong type falls back to its default. */
export function readCaptureSettings(storageDir: string): CaptureSettings {
  const c = vscode.workspace.getConfiguration('spanlens.capture');
  const positive = (k: string, fallback: number): number => {
    const v = c.get<unknown>(k);
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const folder = (c.get<unknown>('persistFolder') as string | undefined)?.trim();
  let persistDir: string | undefined;
  if (c.get<unknown>('persist') === true) {
    if (!folder) persistDir = join(storageDir, 'capture');
    else {
      const expanded = folder.startsWith('~') ? join(homedir(), folder.slice(1)) : folder;
      const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      persistDir = isAbsolute(expanded) ? expanded : resolve(ws ?? storageDir, expanded);
    }
  }
  return {
    ports: {
      grpc: capturePort(c.get('ports.grpc'), 4317),
      http: capturePort(c.get('ports.http'), 4318),
      query: capturePort(c.get('ports.query'), 3200),
    },
    limits: {
      maxSpans: Math.round(positive('maxSpans', DEFAULT_LIMITS.maxSpans)),
      maxLogRecords: Math.round(positive('maxLogRecords', DEFAULT_LIMITS.maxLogRecords)),
      maxBytes: Math.round(positive('maxMemoryMB', DEFAULT_LIMITS.maxBytes / (1024 * 1024)) * 1024 * 1024),
    },
    persistDir,
  };
}
