import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPOSITORY_ROOT } from '../settings';

/**
 * What a build was made from: every file it read (as esbuild's metafile lists
 * them) with a hash of its content. A build whose inputs all hash the same is
 * still good and is not repeated; a new file can only enter a build through an
 * edit to a file already listed, so the list is complete.
 */
export interface BuildStamp {
  /** Bumped when the build's own options change. */
  readonly recipe: string;
  /** Path (repository-relative, or absolute) → sha1 of the content. */
  readonly inputs: Readonly<Record<string, string>>;
}

export async function hashInputs(files: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  await Promise.all(
    files.map(async (file) => {
      const content = await readFile(path.resolve(REPOSITORY_ROOT, file)).catch(() => undefined);
      hashes[file] = content ? createHash('sha1').update(content).digest('hex') : 'missing';
    }),
  );
  return hashes;
}

/** True when the stamp at `stampFile` was written for this recipe and every input it lists is unchanged. */
export async function isStampCurrent(stampFile: string, recipe: string): Promise<boolean> {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(await readFile(stampFile, 'utf8')) as BuildStamp;
  } catch {
    return false;
  }
  if (stamp.recipe !== recipe) return false;
  const now = await hashInputs(Object.keys(stamp.inputs));
  return Object.entries(stamp.inputs).every(([file, hash]) => now[file] === hash);
}

export async function writeStamp(stampFile: string, recipe: string, files: readonly string[]): Promise<void> {
  const stamp: BuildStamp = { recipe, inputs: await hashInputs(files) };
  await writeFile(stampFile, `${JSON.stringify(stamp, null, 1)}\n`);
}
