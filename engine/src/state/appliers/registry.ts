import { type EngineState } from '../engine-state';
import { type EngineEvent } from '../events';

export type EventType = EngineEvent['type'];
export type EventOf<T extends EventType> = Extract<EngineEvent, { type: T }>;

/** Changes the state by one logged event; nothing else changes it. */
export type Applier<T extends EventType> = (state: EngineState, event: EventOf<T>) => void;

/** One applier for each event type; the compiler checks that none is missing. */
export type AppliersByType = { readonly [T in EventType]: Applier<T> };

/**
 * The shape version of a logged event: `v`, absent in every event written so
 * far, which are version 1. A changed shape is logged with the next `v` and
 * gets an applier of its own beside the old one, so old logs replay as written.
 */
export function eventVersion(event: EngineEvent): number {
  return (event as { readonly v?: number }).v ?? 1;
}

/**
 * Event appliers by (type, version), as Zeebe's EventAppliers registers them:
 * an applier that has shipped is never edited; a new version is registered.
 */
export class EventAppliers {
  /** Event type → appliers indexed by version. */
  private readonly byType = new Map<string, ((state: EngineState, event: EngineEvent) => void)[]>();

  register<T extends EventType>(type: T, version: number, applier: Applier<T>): this {
    const versions = this.byType.get(type) ?? this.byType.set(type, []).get(type)!;
    if (versions[version]) throw new Error(`Bug: an applier for ${type} version ${version} is registered twice`);
    // Looked up by the event's own type, so the applier only ever sees its type.
    versions[version] = applier as unknown as (state: EngineState, event: EngineEvent) => void;
    return this;
  }

  /** Registers one applier for every event type at this version. */
  registerAll(version: number, appliers: AppliersByType): this {
    for (const type of Object.keys(appliers) as EventType[]) this.register(type, version, appliers[type] as Applier<typeof type>);
    return this;
  }

  apply(state: EngineState, event: EngineEvent): void {
    const version = eventVersion(event);
    const applier = this.byType.get(event.type)?.[version];
    if (!applier) throw new Error(`No applier for event ${event.type} version ${version}: a log from a newer engine?`);
    applier(state, event);
  }
}
