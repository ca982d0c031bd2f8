import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { type VariableDocument } from '../variables';

/** POST /signals/broadcast: every open subscription for the name, and every signal start event. */
export function broadcastSignal(context: CommandContext, signalName: string, variables: VariableDocument): number {
  return new BpmnExecutor(context).broadcastSignal(signalName, variables);
}
