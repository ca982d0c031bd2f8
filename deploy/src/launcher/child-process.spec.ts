import { componentExecArgv, SEMI_SPACE_MIB } from './child-process';

describe('a component process’s Node.js options', () => {
  it('caps the young generation and runs a bundle as plain JavaScript', () => {
    expect(componentExecArgv('/repo/engine/dist/main.js', {})).toEqual(['--enable-source-maps', `--max-semi-space-size=${SEMI_SPACE_MIB}`]);
  });

  it('compiles a TypeScript entry on load', () => {
    expect(componentExecArgv('/repo/engine/src/main.ts', {})).toContain(require.resolve('@swc-node/register'));
  });

  it('leaves the young generation to NODE_OPTIONS when it names a size', () => {
    expect(componentExecArgv('/repo/engine/dist/main.js', { NODE_OPTIONS: '--max-semi-space-size=16' })).toEqual(['--enable-source-maps']);
  });
});
