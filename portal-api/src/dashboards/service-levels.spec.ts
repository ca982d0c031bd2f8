import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_LEVELS, TASK_TEAMS } from './service-levels';

/** The dashboards' service levels and teams are those the process sets; a changed diagram fails here, not silently on a manager's screen. */
describe('service levels', () => {
  const xml = readFileSync(path.join(__dirname, '../../../bpmn/claim-reimbursement.bpmn'), 'utf8');
  const task = (id: string) => {
    const match = new RegExp(`<bpmn:userTask id="${id}"[\\s\\S]*?</bpmn:userTask>`).exec(xml);
    if (!match) throw new Error(`no user task ${id}`);
    return match[0];
  };

  test.each(SERVICE_LEVELS.map((level) => [level.task, level.hours] as const))('%s is due %i hours after it starts', (id, hours) => {
    const due = /duration\(&#34;P(\d+)D&#34;\)/.exec(task(id));
    expect(Number(due?.[1]) * 24).toBe(hours);
  });

  test.each(Object.entries(TASK_TEAMS))('%s is worked by the %s group', (id, team) => {
    expect(task(id)).toContain(`candidateGroups="${team}"`);
  });
});
