import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { notFound } from '../rejection';
import { type VariableDocument } from '../variables';

/** PUT /element-instances/{key}/variables: local to that scope, or propagated outwards. */
export function setVariables(context: CommandContext, scopeKey: number, variables: VariableDocument, local: boolean): void {
  const scope = context.state.elementInstances.get(scopeKey);
  if (!scope) throw notFound(`Expected to update variables for element with key '${scopeKey}', but no such element was found`);
  const executor = new BpmnExecutor(context);
  if (local) executor.variables.setLocal(scopeKey, scope.processInstanceKey, variables);
  else executor.variables.merge(scopeKey, scope.processInstanceKey, variables);
}
