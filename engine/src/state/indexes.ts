import { JournaledMap, type StateJournal } from './state-journal';

// Helpers for the state's secondary indexes (id → versions, owner → keys),
// shared by the state and its event appliers; every change is journaled.

/** The key under which messages and subscriptions meet: name and correlation key. */
export function correlationOf(name: string, correlationKey: string): string {
  return `${name}\u0000${correlationKey}`;
}

export function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key) ?? index.set(key, index instanceof JournaledMap ? index.newSet<V>() : new Set()).get(key)!;
  set.add(value);
}

export function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

export function appendVersion<T>(versions: Map<string, T[]>, id: string, entity: T, journal: StateJournal): void {
  const list = versions.get(id) ?? versions.set(id, []).get(id)!;
  list.push(entity);
  journal.record(() => list.pop());
}

/** Takes an entity out of its list of versions (undone if the command fails). */
export function removeVersion<T>(versions: Map<string, T[]>, id: string, entity: T, journal: StateJournal): void {
  const list = versions.get(id);
  const index = list?.indexOf(entity) ?? -1;
  if (!list || index < 0) return;
  list.splice(index, 1);
  journal.record(() => list.splice(index, 0, entity));
  if (list.length === 0) versions.delete(id);
}
