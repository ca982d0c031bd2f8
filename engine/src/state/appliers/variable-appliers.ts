import { type VariableEntity } from '../engine-state';
import { type AppliersByType } from './registry';

/** Variables; they leave memory with their scope (element-appliers.ts). */
export const variableAppliers = {
  VariableCreated(state, event) {
    state.noteKey(event.key);
    const variable: VariableEntity = { key: event.key, name: event.name, scopeKey: event.scopeKey, processInstanceKey: event.processInstanceKey, value: event.value };
    state.indexVariable(variable);
    state.dirty.variables.add(variable);
  },
  VariableUpdated(state, event) {
    const variable = state.variables.get(event.key);
    if (!variable) throw new Error(`Bug: variable ${event.key} is unknown`);
    state.touch(variable).value = event.value;
    state.dirty.variables.add(variable);
  },
} satisfies Partial<AppliersByType>;
