import { evaluateFeel, type FeelResult } from '../feel/feel';
import { type Mapping } from '../model/process-model';
import { type VariableEntity } from '../state/engine-state';
import { type CommandContext } from './command-context';

export type VariableDocument = Record<string, unknown>;

const parsedValues = new WeakMap<VariableEntity, { text: string; value: unknown }>();

/**
 * Zeebe's variable scopes: every element instance is a scope, the process
 * instance the outermost. A name resolves to the innermost scope that has it.
 */
export class Variables {
  constructor(private readonly context: CommandContext) {}

  /** All variables visible from the scope, inner shadowing outer: the FEEL context. */
  visibleFrom(scopeKey: number): VariableDocument {
    const chain: number[] = [];
    for (let key: number | undefined = scopeKey; key !== undefined; key = this.context.state.elementInstances.get(key)?.flowScopeKey) {
      chain.push(key);
    }
    const document: VariableDocument = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(document, this.local(chain[i]!));
    return document;
  }

  local(scopeKey: number): VariableDocument {
    const document: VariableDocument = {};
    for (const variable of this.context.state.variablesByScope.get(scopeKey)?.values() ?? []) {
      document[variable.name] = valueOf(variable);
    }
    return document;
  }

  /** Only the named variables visible from the scope (a job's fetchVariable). */
  pick(scopeKey: number, names: readonly string[] | undefined): VariableDocument {
    const all = this.visibleFrom(scopeKey);
    if (!names || names.length === 0) return all;
    const picked: VariableDocument = {};
    for (const name of names) if (name in all) picked[name] = all[name];
    return picked;
  }

  setLocal(scopeKey: number, processInstanceKey: number, document: VariableDocument): void {
    for (const [name, value] of Object.entries(document)) this.write(scopeKey, processInstanceKey, name, value);
  }

  /**
   * Propagation: each variable updates the innermost scope, from `scopeKey`
   * outwards, that already has it; a new one is created on the process instance.
   */
  merge(scopeKey: number, processInstanceKey: number, document: VariableDocument): void {
    for (const [name, value] of Object.entries(document)) {
      let target = processInstanceKey;
      for (let key: number | undefined = scopeKey; key !== undefined; key = this.context.state.elementInstances.get(key)?.flowScopeKey) {
        if (this.context.state.variablesByScope.get(key)?.has(name)) {
          target = key;
          break;
        }
      }
      this.write(target, processInstanceKey, name, value);
    }
  }

  /**
   * Evaluates input or output mappings in order; each sees the results of the
   * ones before it. Dotted targets (`a.b`) write into a context.
   */
  applyMappings(mappings: readonly Mapping[], scopeContext: VariableDocument): FeelResult<VariableDocument> {
    const result: VariableDocument = {};
    for (const mapping of mappings) {
      const evaluated = evaluateFeel(mapping.source, { ...scopeContext, ...result });
      if (!evaluated.ok) return evaluated;
      const [head, ...path] = mapping.target.split('.');
      if (path.length === 0) {
        result[head!] = evaluated.value;
        continue;
      }
      const existing = result[head!] ?? scopeContext[head!];
      const root: VariableDocument = isDocument(existing) ? structuredClone(existing) : {};
      let cursor = root;
      for (const segment of path.slice(0, -1)) {
        const next = cursor[segment];
        cursor[segment] = isDocument(next) ? next : {};
        cursor = cursor[segment] as VariableDocument;
      }
      cursor[path.at(-1)!] = evaluated.value;
      result[head!] = root;
    }
    return { ok: true, value: result };
  }

  private write(scopeKey: number, processInstanceKey: number, name: string, value: unknown): void {
    const text = JSON.stringify(value ?? null);
    const existing = this.context.state.variablesByScope.get(scopeKey)?.get(name);
    if (existing) {
      if (existing.value !== text) this.context.emit({ type: 'VariableUpdated', key: existing.key, value: text });
      return;
    }
    this.context.emit({ type: 'VariableCreated', key: this.context.newKey(), scopeKey, processInstanceKey, name, value: text });
  }
}

function valueOf(variable: VariableEntity): unknown {
  const cached = parsedValues.get(variable);
  if (cached && cached.text === variable.value) return cached.value;
  const value: unknown = JSON.parse(variable.value);
  parsedValues.set(variable, { text: variable.value, value });
  return value;
}

function isDocument(value: unknown): value is VariableDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
