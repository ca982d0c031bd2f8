import { access, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { REPOSITORY_ROOT } from '../settings';
import { isStampCurrent, writeStamp } from './build-stamp';
import { SERVER_ENTRIES } from './server-entries';
import { transpileLikeRegister } from './swc-transpile';

/** Changes whenever the options below change, so an old build is not taken for a current one. */
const RECIPE = 'server-3';
const STAMP = path.join(REPOSITORY_ROOT, 'deploy', 'dist', '.server-build.json');
/** Not imported, but they decide how every file compiles. */
const CONFIG_INPUTS = ['tsconfig.json', 'tsconfig.base.json', 'deploy/src/build/build-server.ts'];

export interface ServerBuild {
  readonly rebuilt: boolean;
  readonly ms: number;
}

/**
 * Compiles every process `npm start` runs into one CommonJS bundle each
 * (`<workspace>/dist/<name>.js`, with a source map), unless the last build's
 * inputs are unchanged. Our own workspaces are bundled; packages from
 * node_modules stay external, loaded by Node as usual (native and optional
 * ones included). Each TypeScript file is transpiled by the very SWC setup
 * `@swc-node/register` uses (the repository's tsconfig: legacy decorators with
 * emitDecoratorMetadata, which NestJS and TypeORM read and esbuild cannot
 * emit) to CommonJS, so modules keep the load order and circular-import
 * behaviour they have under the register hook; esbuild then only joins them.
 */
export async function buildServer(options: { force?: boolean } = {}): Promise<ServerBuild> {
  const startedAt = performance.now();
  if (!options.force && (await isStampCurrent(STAMP, RECIPE)) && (await bundlesExist())) return { rebuilt: false, ms: Math.round(performance.now() - startedAt) };


  await mkdir(path.dirname(STAMP), { recursive: true });
  const result = await build({
    absWorkingDir: REPOSITORY_ROOT,
    entryPoints: Object.values(SERVER_ENTRIES).map((entry) => ({ in: entry.source, out: entry.output.replace(/\.js$/, '') })),
    outdir: REPOSITORY_ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    // Node.js runs these with --enable-source-maps, which maps stack traces and
    // so reads the bundle's map as it loads; with the option on it would also
    // read and keep every map a package ships (tens of MiB in each process for
    // @camunda8/sdk, NestJS, TypeORM). Off while the bundle loads its packages,
    // on again after: our code's traces point at the TypeScript, packages'
    // at their JavaScript.
    // ("use strict" first: a directive counts only before any statement.)
    banner: { js: '"use strict"; const __sourceMapsAsked = process.sourceMapsEnabled; process.setSourceMapsEnabled(false);' },
    footer: { js: 'process.setSourceMapsEnabled(__sourceMapsAsked);' },
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'packages-stay-external',
        setup(builder) {
          // Bare specifiers are packages (or Node built-ins), except our own workspaces.
          builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@claims/') ? undefined : { path: args.path, external: true }));
        },
      },
      {
        name: 'swc-like-register',
        setup(builder) {
          builder.onLoad({ filter: /\.tsx?$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            return { contents: keepDirname(await transpileLikeRegister(source, args.path), args.path), loader: 'js', resolveDir: path.dirname(args.path) };
          });
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/'));
  await writeStamp(STAMP, RECIPE, [...inputs, ...CONFIG_INPUTS]);
  return { rebuilt: true, ms: Math.round(performance.now() - startedAt) };
}

async function bundlesExist(): Promise<boolean> {
  const found = await Promise.all(Object.values(SERVER_ENTRIES).map((entry) => access(path.join(REPOSITORY_ROOT, entry.output)).then(() => true, () => false)));
  return found.every(Boolean);
}

/**
 * A module's `__dirname` is its source folder, as it is when run from source
 * (REPOSITORY_ROOT and lifecycle models are found from it). In a bundle it
 * would be the bundle's folder, so it is rewritten relative to that: every
 * bundle sits two levels below the repository root.
 */
function keepDirname(code: string, file: string): string {
  const fromRoot = path.relative(REPOSITORY_ROOT, path.dirname(file)).split(path.sep).join('/');
  return code.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, "../..", ${JSON.stringify(fromRoot)})`);
}
