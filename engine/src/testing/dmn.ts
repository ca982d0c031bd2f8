/** A tiny DMN writer for tests: decision tables and literal expressions in one graph. */
export interface TableSpec {
  readonly id: string;
  readonly hitPolicy?: string;
  readonly aggregation?: string;
  /** Input expressions, one per column. */
  readonly inputs: readonly string[];
  /** Output names, with allowed values in priority order where given. */
  readonly outputs: readonly { name: string; values?: string }[];
  /** Per rule: input entries, then output entries. */
  readonly rules: readonly (readonly [readonly string[], readonly string[]])[];
  readonly requires?: readonly string[];
}

export interface LiteralSpec {
  readonly id: string;
  readonly expression: string;
  readonly requires?: readonly string[];
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dmn(graphId: string, decisions: readonly (TableSpec | LiteralSpec)[]): string {
  const body = decisions.map((decision) => {
    const requires = (decision.requires ?? []).map((id) => `<informationRequirement><requiredDecision href="#${id}" /></informationRequirement>`).join('');
    if ('expression' in decision) {
      return `<decision id="${decision.id}" name="${decision.id}">${requires}<literalExpression><text>${escape(decision.expression)}</text></literalExpression></decision>`;
    }
    const inputs = decision.inputs.map((expression, i) => `<input id="${decision.id}_in${i}" label="${escape(expression)}"><inputExpression><text>${escape(expression)}</text></inputExpression></input>`);
    const outputs = decision.outputs.map(
      (output, i) => `<output id="${decision.id}_out${i}" name="${output.name}">${output.values ? `<outputValues><text>${escape(output.values)}</text></outputValues>` : ''}</output>`,
    );
    const rules = decision.rules.map(
      ([ins, outs], r) =>
        `<rule id="${decision.id}_rule${r}">${ins.map((t) => `<inputEntry><text>${escape(t)}</text></inputEntry>`).join('')}${outs.map((t) => `<outputEntry><text>${escape(t)}</text></outputEntry>`).join('')}</rule>`,
    );
    const policy = `${decision.hitPolicy ? ` hitPolicy="${decision.hitPolicy}"` : ''}${decision.aggregation ? ` aggregation="${decision.aggregation}"` : ''}`;
    return `<decision id="${decision.id}" name="${decision.id}">${requires}<decisionTable id="${decision.id}_table"${policy}>${inputs.join('')}${outputs.join('')}${rules.join('')}</decisionTable></decision>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${graphId}" name="${graphId}" namespace="http://camunda.org/schema/1.0/dmn">
  ${body.join('\n  ')}
</definitions>`;
}
