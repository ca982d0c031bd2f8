import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line is about: the claim and, once the engine has it, its process instance. */
export interface ClaimLogKeys {
  claimId?: string;
  processInstanceKey?: string;
}

/** The one mechanism that puts the claim keys on log lines: every logger of createLogger reads it (its mixin), so nothing passes loggers around for it. */
const claimKeys = new AsyncLocalStorage<ClaimLogKeys>();

/** Runs `work` with the claim keys on every log line written inside it (awaits included); keys of an outer scope are kept unless given again. */
export function withClaimLogKeys<T>(keys: ClaimLogKeys, work: () => T): T {
  return claimKeys.run({ ...claimKeys.getStore(), ...defined(keys) }, work);
}

/**
 * Adds keys to the current scope once they are known (a route that has read
 * its claim learns its process instance key); no-op outside a scope, which
 * keeps one request's keys from leaking into another's.
 */
export function bindClaimLogKeys(keys: ClaimLogKeys): void {
  const store = claimKeys.getStore();
  if (store) Object.assign(store, defined(keys));
}

/** The keys of the current scope (empty outside one): the pino mixin, and what a client forwards to the portal. */
export function currentClaimLogKeys(): ClaimLogKeys {
  return { ...claimKeys.getStore() };
}

/** The current scope itself (live: later bindings show), for a line written after the scope is left. */
export function claimLogScope(): Readonly<ClaimLogKeys> {
  return claimKeys.getStore() ?? {};
}

function defined(keys: ClaimLogKeys): ClaimLogKeys {
  const out: ClaimLogKeys = {};
  if (typeof keys.claimId === 'string' && keys.claimId !== '') out.claimId = keys.claimId;
  if (typeof keys.processInstanceKey === 'string' && keys.processInstanceKey !== '') out.processInstanceKey = keys.processInstanceKey;
  return out;
}
