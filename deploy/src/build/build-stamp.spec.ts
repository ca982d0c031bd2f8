import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isStampCurrent, writeStamp } from './build-stamp';

describe('a build stamp', () => {
  let dir: string;
  let source: string;
  let stamp: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'build-stamp-'));
    source = path.join(dir, 'main.ts');
    stamp = path.join(dir, '.stamp.json');
    await writeFile(source, 'export const a = 1;\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is current while every input is unchanged, even when touched', async () => {
    await writeStamp(stamp, 'r1', [source]);
    await writeFile(source, 'export const a = 1;\n');
    expect(await isStampCurrent(stamp, 'r1')).toBe(true);
  });

  it('is not current once an input changes or goes, or the recipe is another', async () => {
    await writeStamp(stamp, 'r1', [source]);
    expect(await isStampCurrent(stamp, 'r2')).toBe(false);
    await writeFile(source, 'export const a = 2;\n');
    expect(await isStampCurrent(stamp, 'r1')).toBe(false);
    await writeStamp(stamp, 'r1', [source]);
    await rm(source);
    expect(await isStampCurrent(stamp, 'r1')).toBe(false);
  });

  it('is not current when there is none', async () => {
    expect(await isStampCurrent(stamp, 'r1')).toBe(false);
  });
});
