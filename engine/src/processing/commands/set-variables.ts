import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { notFound } from '../rejection';
import { holdVariableUpdate } from '../task-listeners';
import { type VariableDocument } from '../variables';

/** PUT /element-instances/{key}/variables: local to that scope, or propagated outwards; on a user task's scope, after its updating listeners. */
export function setVariables(context: CommandContext, scopeKey: number, variables: VariableDocument, local: boolean): void {
  const scope = context.state.elementInstances.get(scopeKey);
  if (!scope) throw notFound(`Expected to update variables for element with key '${scopeKey}', but no such element was found`);
  if (holdVariableUpdate(context, scopeKey, variables, local)) return;
  const executor = new BpmnExecutor(context);
  if (local) executor.variables.setLocal(scopeKey, scope.processInstanceKey, variables);
  else executor.variables.merge(scopeKey, scope.processInstanceKey, variables);
}
