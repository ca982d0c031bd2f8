import { type StateSnapshot } from '../state/state-snapshot';

/** One bounded piece of a snapshot: some entities of one kind, as a JSON array. */
export interface SnapshotChunk {
  /** The snapshot field the items belong to (`elementInstances`, `jobs`, ...). */
  readonly kind: string;
  readonly body: string;
}

/** The scalar fields of a snapshot (format, lastKey), stored beside its chunks. */
export type SnapshotHeader = Record<string, unknown>;

/** Default bound on one chunk's JSON: memory while writing a snapshot grows by about this much, not by the whole state. */
export const DEFAULT_SNAPSHOT_CHUNK_BYTES = 1 << 20;

/** The scalar fields, written as the snapshot row's own JSON. */
export function snapshotHeader(snapshot: StateSnapshot): SnapshotHeader {
  const header: SnapshotHeader = {};
  for (const [field, value] of Object.entries(snapshot)) if (!Array.isArray(value) && value !== undefined) header[field] = value;
  return header;
}

/**
 * The snapshot's entity lists cut into chunks of about `maxChars` characters
 * of JSON each, serialised one entity at a time and only as they are asked
 * for, so the whole state never exists as one string. Every list yields at
 * least one chunk (an empty one for an empty list), so reading back gives
 * exactly the fields written.
 *
 * The snapshot must hold copies (captureState's), not the live entities: the
 * engine goes on changing its state while the chunks are written.
 */
export function* snapshotChunks(snapshot: StateSnapshot, maxChars = DEFAULT_SNAPSHOT_CHUNK_BYTES): Generator<SnapshotChunk> {
  for (const [kind, value] of Object.entries(snapshot)) {
    if (!Array.isArray(value)) continue;
    let pieces: string[] = [];
    let size = 0;
    for (const item of value as unknown[]) {
      const piece = JSON.stringify(item);
      pieces.push(piece);
      size += piece.length + 1;
      if (size >= maxChars) {
        yield { kind, body: `[${pieces.join(',')}]` };
        pieces = [];
        size = 0;
      }
    }
    if (pieces.length > 0 || value.length === 0) yield { kind, body: `[${pieces.join(',')}]` };
  }
}

/** Collects chunks back into a snapshot, appending each chunk's items to its field in the order read. */
export class SnapshotAssembler {
  private readonly fields: Record<string, unknown[]> = {};

  add(chunk: SnapshotChunk): void {
    const items = JSON.parse(chunk.body) as unknown[];
    const list = (this.fields[chunk.kind] ??= []);
    for (const item of items) list.push(item);
  }

  snapshot(header: SnapshotHeader): StateSnapshot {
    return { ...header, ...this.fields } as unknown as StateSnapshot;
  }
}
