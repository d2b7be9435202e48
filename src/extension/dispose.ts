import * as vscode from 'vscode';

/**
 * Base for objects that own registrations: `_register` ties a child's lifetime to this one,
 * and disposes it at once if this is already gone (after hexeditor's dispose.ts).
 */
export abstract class Disposable implements vscode.Disposable {
  private readonly children: vscode.Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.children.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.children);
  }
}

export function disposeAll(items: vscode.Disposable[]): void {
  while (items.length) {
    try {
      items.pop()!.dispose();
    } catch {
      // One failing dispose must not keep the rest alive.
    }
  }
}
