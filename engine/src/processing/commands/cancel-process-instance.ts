import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';

export function cancelProcessInstance(context: CommandContext, processInstanceKey: number): void {
  const instance = context.state.elementInstances.get(processInstanceKey);
  if (!instance || instance.type !== 'PROCESS') {
    throw notFound(`Expected to cancel a process instance with key '${processInstanceKey}', but no such process was found`);
  }
  if (instance.parentElementInstanceKey !== undefined) {
    throw invalidState(
      `Expected to cancel a process instance with key '${processInstanceKey}', but it is created by a parent process instance. Cancel the root process instance '${instance.parentProcessInstanceKey}' instead.`,
    );
  }
  if (instance.state !== 'ACTIVATED' && instance.state !== 'ACTIVATING') {
    throw invalidState(`Expected to cancel a process instance with key '${processInstanceKey}', but it is ${instance.state.toLowerCase()}`);
  }
  new BpmnExecutor(context).cancelProcessInstance(processInstanceKey);
}
