import path from 'node:path';
import { readDefaultTsConfig } from '@swc-node/register/read-default-tsconfig';
import { compile } from '@swc-node/register/register';
import { REPOSITORY_ROOT } from '../settings';

const tsOptions = readDefaultTsConfig(path.join(REPOSITORY_ROOT, 'tsconfig.json'));

/**
 * A TypeScript file as `node -r @swc-node/register` would run it: the same
 * tsconfig-derived SWC options, CommonJS out, an inline source map.
 */
export async function transpileLikeRegister(source: string, file: string): Promise<string> {
  // compile() deletes a key of the options it is given: each call gets a copy.
  return (await compile(source, file, { ...tsOptions }, true)) ?? '';
}
