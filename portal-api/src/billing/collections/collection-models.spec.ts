import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDecisionVariables } from '../../deployments/decision-variable-check';
import { checkDmn, lintBpmn } from '../../deployments/model-lint';
import { decisionCallers } from '../../deployments/process-variables';

const modelsDir = path.resolve(__dirname, '../../../../bpmn');
const read = (file: string) => readFileSync(path.join(modelsDir, file), 'utf8');

/**
 * The premium collection diagram and its retry table pass the checks an
 * analyst's deployment goes through (POST /deployments): the table reads
 * `attempt` (the plan's, then the script task's result) and `declineKind`
 * (the collect worker's), both declared for the process, so the retry
 * schedule stays editable through the portal.
 */
describe('the premium collection models, as a deployment checks them', () => {
  it('lints the diagram clean', async () => {
    expect((await lintBpmn('premium-collection.bpmn', read('premium-collection.bpmn'))).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('collection-retry.dmn reads only what the collection process provides', async () => {
    const callers = await decisionCallers(read('premium-collection.bpmn'));
    expect([...(callers.get('collection-retry')?.[0]?.variables ?? [])]).toEqual(expect.arrayContaining(['attempt', 'declineKind', 'invoiceId', 'caseKey']));
    expect(await checkDmn('collection-retry.dmn', read('collection-retry.dmn'))).toEqual([]);
    expect(await checkDecisionVariables('collection-retry.dmn', read('collection-retry.dmn'), callers)).toEqual([]);
  });

  it('refuses a retry table edit that reads a variable the process does not provide', async () => {
    const edited = read('collection-retry.dmn').replace('<text>declineKind</text>', '<text>declineSeverity</text>');
    const problems = await checkDecisionVariables('collection-retry.dmn', edited, await decisionCallers(read('premium-collection.bpmn')));
    expect(problems.map((p) => p.message).join(' ')).toContain('declineSeverity');
  });
});
