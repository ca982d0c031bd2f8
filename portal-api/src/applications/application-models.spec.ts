import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDecisionVariables } from '../deployments/decision-variable-check';
import { checkDmn, lintBpmn } from '../deployments/model-lint';
import { decisionCallers, workerDecisionCallers } from '../deployments/process-variables';

const modelsDir = path.resolve(__dirname, '../../../bpmn');
const read = (file: string) => readFileSync(path.join(modelsDir, file), 'utf8');

/**
 * The application diagram and its tables pass the checks an analyst's
 * deployment goes through (POST /deployments/lint): every variable a table
 * reads is one its caller provides, the worker's tables included.
 */
describe('the policy application models, as a deployment checks them', () => {
  it('lints the diagram clean', async () => {
    expect((await lintBpmn('policy-application.bpmn', read('policy-application.bpmn'))).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it.each(['application-eligibility.dmn', 'underwriting-rules.dmn', 'underwriting-authority.dmn'])('%s reads only what its caller provides', async (file) => {
    const callers = workerDecisionCallers();
    for (const [id, found] of await decisionCallers(read('policy-application.bpmn'))) callers.set(id, found);
    expect(await checkDmn(file, read(file))).toEqual([]);
    expect(await checkDecisionVariables(file, read(file), callers)).toEqual([]);
  });

  it('refuses a table edit that reads a variable the worker does not pass', async () => {
    const edited = read('underwriting-rules.dmn').replace('<text>smoker</text>', '<text>cigarettesPerDay</text>');
    const problems = await checkDecisionVariables('underwriting-rules.dmn', edited, workerDecisionCallers());
    expect(problems.map((p) => p.message).join(' ')).toContain('cigarettesPerDay');
  });
});
