import { type ExecutableElement, type ExecutableProcess } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { type CommandContext } from '../command-context';

/**
 * Tokens waiting at joining parallel and inclusive gateways of one active
 * scope, as Zeebe 8.8's "Migrating joining parallel and inclusive gateways"
 * says (https://docs.camunda.io/docs/components/concepts/process-instance-migration/#migrating-joining-parallel-and-inclusive-gateways):
 * the gateway must be mapped to a gateway of its type in the scope's target,
 * with at least as many incoming sequence flows; each taken flow follows its
 * mapping instruction (sequence flows can be mapped) or, without one, keeps
 * its id, and must land on an incoming flow of the target gateway. The
 * tokens keep their counts; nothing joins because of the migration.
 */
export type JoinTokens = readonly (readonly [gatewayId: string, perFlow: readonly (readonly [flowId: string, count: number])[]])[];

export function planJoinTokens(
  instance: ElementInstance,
  source: ExecutableProcess,
  target: ExecutableProcess,
  targetScope: ExecutableElement,
  mapping: ReadonlyMap<string, string>,
  refuse: (what: string) => Error,
): JoinTokens | undefined {
  const waiting = [...(instance.joinTokens ?? [])].filter(([, perFlow]) => perFlow.size > 0);
  if (waiting.length === 0) return undefined;
  const targetScopeId = targetScope.type === 'PROCESS' ? target.bpmnProcessId : targetScope.id;
  const gatewaysTaken = new Map<string, string>();
  return waiting.map(([gatewayId, perFlow]) => {
    const sourceGateway = source.elements.get(gatewayId)!;
    const targetId = mapping.get(gatewayId);
    if (targetId === undefined) {
      throw refuse(`the joining gateway with id '${gatewayId}' has taken incoming sequence flows and no mapping instruction. A joining gateway waiting for more flows must be mapped.`);
    }
    const targetGateway = target.elements.get(targetId)!;
    if (targetGateway.type !== sourceGateway.type) {
      throw refuse(`the joining gateway with id '${gatewayId}' and type '${sourceGateway.type}' is mapped to an element with id '${targetId}' and different type '${targetGateway.type}'. Elements must be mapped to elements of the same type.`);
    }
    if (targetGateway.type !== 'PROCESS' && targetGateway.containerId !== targetScopeId) {
      throw refuse(`the flow scope of the joining gateway with id '${gatewayId}' is changed. The flow scope is expected to be '${targetScopeId}' but was '${targetGateway.containerId}'. The flow scope of an element cannot be changed during migration.`);
    }
    if (targetGateway.incoming.length < sourceGateway.incoming.length) {
      throw refuse(`the joining gateway with id '${gatewayId}' has ${sourceGateway.incoming.length} incoming sequence flows, but its target '${targetId}' has only ${targetGateway.incoming.length}. The target gateway must have at least as many.`);
    }
    const earlier = gatewaysTaken.get(targetId);
    if (earlier !== undefined) throw refuse(`the joining gateways with ids '${earlier}' and '${gatewayId}' are both mapped to '${targetId}'. Each gateway can only be the target of one.`);
    gatewaysTaken.set(targetId, gatewayId);
    const incoming = new Set(targetGateway.incoming.map((flow) => flow.id));
    const flowsTaken = new Map<string, string>();
    const flows = [...perFlow].map(([flowId, count]) => {
      const targetFlowId = mapping.get(flowId) ?? flowId;
      if (!incoming.has(targetFlowId)) {
        throw refuse(
          `the sequence flow with id '${flowId}' taken to the joining gateway '${gatewayId}' ${mapping.has(flowId) ? 'is mapped' : 'has no mapping instruction and maps by its id'} to '${targetFlowId}', which is not an incoming sequence flow of the target gateway '${targetId}'.`,
        );
      }
      const other = flowsTaken.get(targetFlowId);
      if (other !== undefined) throw refuse(`the sequence flows with ids '${other}' and '${flowId}' taken to the joining gateway '${gatewayId}' are both mapped to '${targetFlowId}'.`);
      flowsTaken.set(targetFlowId, flowId);
      return [targetFlowId, count] as const;
    });
    return [targetId, flows] as const;
  });
}

export function applyJoinTokens(context: CommandContext, instance: ElementInstance, tokens: JoinTokens | undefined): void {
  if (tokens) context.emit({ type: 'JoinTokensMigrated', scopeKey: instance.key, tokens });
}

/** Every sequence flow id of a process: mapping instructions may name them (for tokens at joining gateways). */
export function sequenceFlowIds(process: ExecutableProcess): Set<string> {
  const ids = new Set<string>();
  for (const element of process.elements.values()) for (const flow of element.outgoing) ids.add(flow.id);
  return ids;
}
