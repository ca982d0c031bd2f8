import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Readable } from 'node:stream';

/**
 * Where document bytes live. The embedded default is a folder on local disk;
 * production plugs an S3-compatible store in behind the same three calls.
 * Keys are made by the store, never from a user's file name.
 */
export abstract class DocumentStorage {
  /** Stores the bytes and answers the key to read them back with. */
  abstract put(content: Buffer): Promise<string>;
  abstract read(key: string): Promise<Readable>;
  /** Removes bytes whose database record could not be written. */
  abstract remove(key: string): Promise<void>;
}

export class LocalDiskStorage extends DocumentStorage {
  constructor(private readonly root: string) {
    super();
  }

  async put(content: Buffer): Promise<string> {
    const key = randomUUID();
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed, so a reader never sees half a file.
    const partial = `${target}.partial`;
    await writeFile(partial, content, { flag: 'wx', mode: 0o600 });
    await rename(partial, target);
    return key;
  }

  async read(key: string): Promise<Readable> {
    const stream = createReadStream(this.pathOf(key));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Two levels of folders from the key's first characters keep folders small. */
  private pathOf(key: string): string {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error(`not a storage key: ${key}`);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }
}
