import { resolve } from 'node:path';

/**
 * Loads a `vscode`-free module of src/extension at run time (tsx compiles it). The test project's
 * tsconfig references only src/core and src/cli, so a static import of extension code does not
 * type-check; each test states the few signatures it uses instead.
 */
export function loadExtensionModule<T>(relative: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolve(__dirname, '../../../src/extension', relative)) as T;
}
