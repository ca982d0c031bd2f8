import { type EngineState } from '../engine-state';
import { type EngineEvent } from '../events';
import { ENGINE_APPLIERS } from './engine-appliers';
import { EventAppliers, eventVersion } from './registry';

const state = {} as EngineState;
const broadcast = (extra: object = {}): EngineEvent => ({ type: 'SignalBroadcast', key: 1, signalName: 's', time: 0, ...extra });

describe('event appliers by (type, version)', () => {
  it('reads an event without a version as version 1, the shape every logged event so far has', () => {
    expect(eventVersion(broadcast())).toBe(1);
    expect(eventVersion(broadcast({ v: 2 }))).toBe(2);
  });

  it('applies each version of an event with its own applier, so adding version 2 leaves version 1 as it shipped', () => {
    const seen: string[] = [];
    const appliers = new EventAppliers()
      .register('SignalBroadcast', 1, () => seen.push('v1'))
      .register('SignalBroadcast', 2, () => seen.push('v2'));
    appliers.apply(state, broadcast());
    appliers.apply(state, broadcast({ v: 2 }));
    expect(seen).toEqual(['v1', 'v2']);
  });

  it('refuses a second applier for the same type and version', () => {
    const appliers = new EventAppliers().register('SignalBroadcast', 1, () => undefined);
    expect(() => appliers.register('SignalBroadcast', 1, () => undefined)).toThrow(/registered twice/);
  });

  it('refuses an event version it has no applier for rather than guess (a log from a newer engine)', () => {
    expect(() => ENGINE_APPLIERS.apply(state, broadcast({ v: 99 }))).toThrow(/No applier for event SignalBroadcast version 99/);
  });
});
