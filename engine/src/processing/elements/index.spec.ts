import { type FlowElement } from '../../model/process-model';
import { endEvent } from './end-event';
import { behaviorOf } from './index';
import { jobTask } from './job-task';
import { resultTask } from './result-tasks';

const element = (fields: object): FlowElement => ({ id: 'e', incoming: [], outgoing: [], inputs: [], outputs: [], boundaryEvents: [], ...fields }) as unknown as FlowElement;

describe('element behaviours by kind', () => {
  it('gives an element a job worker does the job task behaviour whatever its BPMN type (a message end event, a script task with a job)', () => {
    expect(behaviorOf(element({ type: 'END_EVENT', implementation: 'job' }))).toBe(jobTask);
    expect(behaviorOf(element({ type: 'SCRIPT_TASK', implementation: 'job' }))).toBe(jobTask);
  });

  it('gives the engine-run kinds their own behaviour', () => {
    expect(behaviorOf(element({ type: 'END_EVENT', end: { kind: 'none' } }))).toBe(endEvent);
    expect(behaviorOf(element({ type: 'SCRIPT_TASK', implementation: 'feel' }))).toBe(resultTask);
  });
});
