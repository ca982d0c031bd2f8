import { isJobElement, type FlowElement } from '../../model/process-model';
import { adHocInnerInstance, adHocSubProcess } from './ad-hoc-sub-process';
import { callActivity } from './call-activity';
import { type ElementBehavior } from './element-behavior';
import { endEvent } from './end-event';
import { conditionalGateway } from './gateways';
import { intermediateCatchEvent } from './intermediate-catch-event';
import { intermediateThrowEvent } from './intermediate-throw-event';
import { jobTask } from './job-task';
import { passThrough, waitForTrigger } from './pass-through';
import { resultTask } from './result-tasks';
import { subProcess } from './sub-process';
import { userTask } from './user-task';

/** Each element kind's behaviour, by BPMN element type (one done by a job worker is a job task whatever its type). */
const BEHAVIORS: Readonly<Record<FlowElement['type'], ElementBehavior>> = {
  START_EVENT: passThrough,
  TASK: passThrough,
  MANUAL_TASK: passThrough,
  BOUNDARY_EVENT: passThrough,
  PARALLEL_GATEWAY: passThrough,
  RECEIVE_TASK: waitForTrigger,
  EVENT_BASED_GATEWAY: waitForTrigger,
  EXCLUSIVE_GATEWAY: conditionalGateway,
  INCLUSIVE_GATEWAY: conditionalGateway,
  INTERMEDIATE_THROW_EVENT: intermediateThrowEvent,
  INTERMEDIATE_CATCH_EVENT: intermediateCatchEvent,
  END_EVENT: endEvent,
  USER_TASK: userTask,
  CALL_ACTIVITY: callActivity,
  SCRIPT_TASK: resultTask,
  BUSINESS_RULE_TASK: resultTask,
  SUB_PROCESS: subProcess,
  AD_HOC_SUB_PROCESS: adHocSubProcess,
  AD_HOC_SUB_PROCESS_INNER_INSTANCE: adHocInnerInstance,
  // Service and send tasks are always done by job workers.
  SERVICE_TASK: jobTask,
  SEND_TASK: jobTask,
};

export function behaviorOf(element: FlowElement): ElementBehavior {
  return isJobElement(element) ? jobTask : BEHAVIORS[element.type];
}

export { type BpmnBehaviors, type Catcher, type ElementBehavior, type Step } from './element-behavior';
export { multiInstanceBody } from './multi-instance-body';
