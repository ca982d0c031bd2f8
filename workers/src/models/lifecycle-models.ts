import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the diagrams, decision tables and forms live: the source of truth of every lifecycle. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');
export const MODEL_FOLDERS = [path.join(REPOSITORY_ROOT, 'bpmn'), path.join(REPOSITORY_ROOT, 'forms')];

export interface ModelResource {
  readonly name: string;
  readonly file: string;
  readonly content: string;
}

/** Every .bpmn, .dmn and .form of the repository, in a stable order. */
export async function readLifecycleModels(folders: readonly string[] = MODEL_FOLDERS): Promise<ModelResource[]> {
  const resources: ModelResource[] = [];
  for (const folder of folders) {
    for (const name of (await readdir(folder)).sort()) {
      if (!/\.(bpmn|dmn|form)$/.test(name)) continue;
      const file = path.join(folder, name);
      resources.push({ name, file, content: await readFile(file, 'utf8') });
    }
  }
  return resources;
}
