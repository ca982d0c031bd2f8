import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { checkDmn, lintBpmn } from '@claims/portal-api/src/deployments/model-lint';
import { validateFormData } from '@claims/portal-api/src/tasks/form-data-validation';
import { MODEL_FOLDERS, readLifecycleModels, REPOSITORY_ROOT } from './lifecycle-models';

/**
 * Every diagram, decision table and form the system deploys passes the
 * checks an analyst's change must pass: bpmnlint (recommended rules and
 * Camunda 8.8 compatibility), DMN that reads cleanly, and forms valid
 * against the form-js schema.
 */
const formSchema = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'forms', 'schema', 'form-js.schema.json'), 'utf8')) as object;
const validateForm = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(formSchema);

it('finds the lifecycle diagram, its decision tables, the pricing table and a form for each human step', async () => {
  const names = (await readLifecycleModels(MODEL_FOLDERS)).map((m) => m.name);
  expect(names).toEqual(expect.arrayContaining(['claim-reimbursement.bpmn', 'claim-routing.dmn', 'authority-limits.dmn', 'fraud-rule-weights.dmn', 'premium-pricing.dmn', 'claim-request.form', 'assess-claim.form', 'approve-payment.form', 'investigate-claim.form', 'fix-payment-details.form', 'policy-application.bpmn', 'application-eligibility.dmn', 'underwriting-rules.dmn', 'underwriting-authority.dmn', 'underwrite-application.form', 'application-information.form']));
});

// Clean means clean: no error and no warning (where several flows enter a
// task, they merge through a gateway first, so there is no "fake-join").
it('lints every diagram clean with bpmnlint and camunda-compat 8.8', async () => {
  for (const model of (await readLifecycleModels()).filter((m) => m.name.endsWith('.bpmn'))) {
    const problems = await lintBpmn(model.name, model.content);
    expect({ model: model.name, problems }).toEqual({ model: model.name, problems: [] });
  }
});

it('reads every decision table as DMN without warnings', async () => {
  for (const model of (await readLifecycleModels()).filter((m) => m.name.endsWith('.dmn'))) {
    expect({ model: model.name, problems: await checkDmn(model.name, model.content) }).toEqual({ model: model.name, problems: [] });
  }
});

it('validates every form against the form-js schema', async () => {
  for (const model of (await readLifecycleModels()).filter((m) => m.name.endsWith('.form'))) {
    const valid = validateForm(JSON.parse(model.content));
    expect({ model: model.name, errors: valid ? [] : validateForm.errors }).toEqual({ model: model.name, errors: [] });
  }
});

it('the form schema refuses what form-js would refuse', () => {
  expect(validateForm({ id: 'x', type: 'default', schemaVersion: 16, components: [{ id: 'a', type: 'textfield', label: 'No key' }] })).toBe(false);
  expect(validateForm({ id: 'x', type: 'default', schemaVersion: 16, components: [{ id: 'a', type: 'select', key: 'k' }] })).toBe(false); // no options
  expect(validateForm({ id: 'x', type: 'default', schemaVersion: 16, components: [{ id: 'a', type: 'slider', key: 'k' }] })).toBe(false);
  expect(validateForm({ id: 'x', type: 'default', schemaVersion: 16, components: [{ id: 'a', type: 'text', text: 'hi', key: 'k' }] })).toBe(true);
});

it('every user task names a deployed form, and every form id is unique', async () => {
  const models = await readLifecycleModels();
  const formIds = models.filter((m) => m.name.endsWith('.form')).map((m) => (JSON.parse(m.content) as { id: string }).id);
  expect(new Set(formIds).size).toBe(formIds.length);
  const diagram = models.find((m) => m.name === 'claim-reimbursement.bpmn')!.content;
  const linked = [...diagram.matchAll(/formId="([^"]+)"/g)].map((m) => m[1]);
  expect(linked.length).toBeGreaterThanOrEqual(4);
  for (const id of linked) expect(formIds).toContain(id);
  // The request form is served by the portal: Camunda links no form to a message start event.
  expect(linked).not.toContain('claim-request');
  expect(formIds).toContain('claim-request');
});

it('the assessment form accepts a decision per item and refuses a decline without a reason', async () => {
  const form = JSON.parse((await readLifecycleModels()).find((m) => m.name === 'assess-claim.form')!.content) as Parameters<typeof validateFormData>[0];
  const presented = { items: [{ itemId: 'item-1', label: '1. GP', amount: 80 }, { itemId: 'item-2', label: '2. Physio', amount: 60 }] };
  const rows = (...decisions: Record<string, unknown>[]) => presented.items.map((row, index) => ({ ...row, ...decisions[index] }));
  const reason = 'We cannot pay for this care.';
  expect(validateFormData(form, { items: rows({ decision: 'accept' }, { decision: 'accept' }), assessment: 'approve' }, presented)).toEqual([]);
  expect(validateFormData(form, { items: rows({ decision: 'decline' }, { decision: 'accept' }), assessment: 'decline', clientReason: reason }, presented)).toEqual([expect.objectContaining({ name: 'items[0].reasonCode' })]);
  expect(validateFormData(form, { items: [], assessment: 'request-information' }, presented)).toEqual([expect.objectContaining({ name: 'items' }), expect.objectContaining({ name: 'informationRequest' })]);
  // Each row's fields follow that row's own decision (form-js evaluates them with `this`).
  expect(validateFormData(form, { items: rows({ decision: 'adjust', approvedAmount: 50, reasonCode: 'ITEM_LIMIT' }, { decision: 'accept' }), assessment: 'approve', clientReason: reason }, presented)).toEqual([]);
  expect(validateFormData(form, { items: rows({ decision: 'adjust' }, { decision: 'accept', reasonCode: 'NOT_COVERED' }), assessment: 'approve', clientReason: reason }, presented).map((e) => e.name)).toEqual(['items[0].approvedAmount', 'items[0].reasonCode', 'items[1].reasonCode']);
});

it('asks for a reason the client reads wherever the client is told of a decline or a reduction, apart from the note for the file', async () => {
  const models = await readLifecycleModels();
  const form = (name: string) => JSON.parse(models.find((m) => m.name === name)!.content) as Parameters<typeof validateFormData>[0];
  const presented = { items: [{ itemId: 'item-1', label: '1. GP', amount: 80 }] };
  const assess = (row: Record<string, unknown>, rest: Record<string, unknown>) => validateFormData(form('assess-claim.form'), { items: [{ ...presented.items[0], ...row }], ...rest }, presented).map((e) => e.name);
  expect(assess({ decision: 'decline', reasonCode: 'NOT_COVERED' }, { assessment: 'decline', decisionNote: 'Internal: provider under review.' })).toEqual(['clientReason']);
  expect(assess({ decision: 'adjust', approvedAmount: 40, reasonCode: 'ITEM_LIMIT' }, { assessment: 'approve' })).toEqual(['clientReason']);
  expect(assess({ decision: 'accept' }, { assessment: 'approve' })).toEqual([]);
  expect(assess({ decision: 'accept' }, { assessment: 'approve', clientReason: 'Nothing to explain here.' })).toEqual(['clientReason']); // hidden: nothing to explain
  const approve = form('approve-payment.form');
  expect(validateFormData(approve, { paymentApproved: 'decline', approvalNote: 'Internal: doubts about the stay.' }).map((e) => e.name)).toEqual(['approvalClientReason']);
  expect(validateFormData(approve, { paymentApproved: 'approve' })).toEqual([]);
});
