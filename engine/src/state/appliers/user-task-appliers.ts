import { type EngineState, type UserTaskEntity } from '../engine-state';
import { type AppliersByType } from './registry';

/** User tasks: created, assigned, updated, held by a listener, ended. */
export const userTaskAppliers = {
  UserTaskCreated(state, event) {
    state.noteKey(event.key);
    const element = state.element(event.elementInstanceKey);
    const task: UserTaskEntity = {
      key: event.key,
      elementInstanceKey: element.key,
      processInstanceKey: element.processInstanceKey,
      processDefinitionKey: element.processDefinitionKey,
      elementId: element.elementId,
      creationDate: event.time,
      formKey: event.formKey,
      externalFormReference: event.externalFormReference,
      customHeaders: event.customHeaders,
      state: 'CREATED',
      assignee: event.assignee,
      candidateGroups: event.candidateGroups,
      candidateUsers: event.candidateUsers,
      dueDate: event.dueDate,
      followUpDate: event.followUpDate,
      priority: event.priority,
    };
    state.indexUserTask(task);
    state.dirty.userTasks.add(task);
  },
  UserTaskAssigned(state, event) {
    const task = state.touch(state.userTask(event.key));
    task.assignee = event.assignee;
    state.dirty.userTasks.add(task);
  },
  UserTaskUpdated(state, event) {
    const task = state.touch(state.userTask(event.key));
    const { changes } = event;
    if (changes.candidateGroups) task.candidateGroups = changes.candidateGroups;
    if (changes.candidateUsers) task.candidateUsers = changes.candidateUsers;
    if (changes.dueDate !== undefined) task.dueDate = changes.dueDate ?? undefined;
    if (changes.followUpDate !== undefined) task.followUpDate = changes.followUpDate ?? undefined;
    if (changes.priority !== undefined) task.priority = changes.priority;
    state.dirty.userTasks.add(task);
  },
  UserTaskTransitionHeld(state, event) {
    const task = state.touch(state.userTask(event.key));
    task.state = event.state;
    state.dirty.userTasks.add(task);
  },
  UserTaskCompleted: (state, event) => userTaskEnded(state, event.key, 'COMPLETED', event.time),
  UserTaskCanceled: (state, event) => userTaskEnded(state, event.key, 'CANCELED', event.time),
} satisfies Partial<AppliersByType>;

function userTaskEnded(state: EngineState, key: number, taskState: 'COMPLETED' | 'CANCELED', time: number): void {
  const task = state.touch(state.userTask(key));
  task.state = taskState;
  task.completionDate = time;
  state.userTasks.delete(key);
  state.userTaskByElement.delete(task.elementInstanceKey);
  state.dirty.userTasks.add(task);
}
