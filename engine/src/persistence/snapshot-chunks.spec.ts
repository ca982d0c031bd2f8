import fc from 'fast-check';
import { type StateSnapshot } from '../state/state-snapshot';
import { SnapshotAssembler, snapshotChunks, snapshotHeader } from './snapshot-chunks';

// Chunks are bounded whatever the entities, and reading them back in order
// gives exactly the snapshot written, empty lists and scalar fields included.

const entity = fc.record({ key: fc.nat(), name: fc.string(), value: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)) });
const snapshotArb = fc.record({
  format: fc.constant(1),
  lastKey: fc.nat(),
  elementInstances: fc.array(entity, { maxLength: 60 }),
  variables: fc.array(entity, { maxLength: 60 }),
  jobs: fc.array(entity, { maxLength: 5 }),
});

describe('snapshot chunks', () => {
  it('cut every list into chunks of bounded size that read back to the same snapshot', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 1, max: 2_000 }), (snapshot, maxChars) => {
        const state = snapshot as unknown as StateSnapshot;
        const chunks = [...snapshotChunks(state, maxChars)];
        const longestEntity = Math.max(0, ...[...snapshot.elementInstances, ...snapshot.variables, ...snapshot.jobs].map((e) => JSON.stringify(e).length));
        for (const chunk of chunks) expect(chunk.body.length).toBeLessThanOrEqual(maxChars + longestEntity + 2);
        const assembler = new SnapshotAssembler();
        for (const chunk of chunks) assembler.add(chunk);
        expect(assembler.snapshot(JSON.parse(JSON.stringify(snapshotHeader(state))) as Record<string, unknown>)).toEqual(snapshot);
      }),
    );
  });

  it('writes an empty list as one empty chunk, so the field comes back', () => {
    const chunks = [...snapshotChunks({ format: 1, lastKey: 0, jobs: [] } as unknown as StateSnapshot)];
    expect(chunks).toEqual([{ kind: 'jobs', body: '[]' }]);
  });
});
