import { validateFormData, type FormComponent } from './form-data-validation';

const assessForm: { components: FormComponent[] } = {
  components: [
    { type: 'text', key: 'intro' },
    { type: 'select', key: 'decision', label: 'Decision', values: [{ value: 'approve' }, { value: 'reject' }], validate: { required: true } },
    { type: 'number', key: 'amount', validate: { min: 0, max: 1000 }, conditional: { hide: '=decision != "approve"' } },
    { type: 'textfield', key: 'email', validate: { validationType: 'email', maxLength: 40 } },
    { type: 'textfield', key: 'code', validate: { pattern: '[A-Z]{3}' } },
    { type: 'checkbox', key: 'confirmed' },
    {
      type: 'dynamiclist',
      path: 'items',
      components: [
        { type: 'textfield', key: 'itemId', validate: { required: true } },
        { type: 'radio', key: 'outcome', values: [{ value: 'accept' }, { value: 'reject' }], validate: { required: true } },
      ],
    },
    { type: 'group', components: [{ type: 'textarea', key: 'note', validate: { minLength: 2 } }] },
  ],
};

describe('validateFormData', () => {
  test('accepts data that satisfies every rule', () => {
    expect(validateFormData(assessForm, { decision: 'approve', amount: 12.5, email: 'a@b.io', code: 'ABC', confirmed: true, items: [{ itemId: 'x', outcome: 'accept' }], note: 'ok' })).toEqual([]);
  });

  test('names each field that breaks a rule', () => {
    const errors = validateFormData(assessForm, { decision: 'maybe', email: 'nope', code: 'abcd', confirmed: 'yes', items: [{ outcome: 'later' }, 'x'], note: 'a' });
    expect(errors.map((e) => e.name)).toEqual(['decision', 'email', 'code', 'confirmed', 'items[0].itemId', 'items[0].outcome', 'items[1]', 'note']);
  });

  test('requires required fields and checks number bounds of shown fields', () => {
    expect(validateFormData(assessForm, { decision: 'approve', amount: 5000 })).toEqual([{ name: 'amount', reason: 'must be at most 1000' }]);
    expect(validateFormData(assessForm, {})).toEqual([{ name: 'decision', reason: 'is required (Decision)' }]);
  });

  test('skips the rules of fields hidden by their condition, and refuses a value for them', () => {
    expect(validateFormData(assessForm, { decision: 'reject' })).toEqual([]);
    expect(validateFormData(assessForm, { decision: 'reject', amount: null })).toEqual([]);
    expect(validateFormData(assessForm, { decision: 'reject', amount: 500 })).toEqual([{ name: 'amount', reason: 'is hidden by the form and must not be given a value' }]);
  });

  // The rows of a list, as form-js evaluates them: `this` is the row, the bare names the form's root.
  const rowsForm: { components: FormComponent[] } = {
    components: [
      { type: 'textfield', key: 'reference', readonly: true },
      {
        type: 'dynamiclist',
        path: 'items',
        allowAddRemove: false,
        components: [
          { type: 'textfield', key: 'itemId', readonly: true },
          { type: 'number', key: 'amount', readonly: true },
          { type: 'select', key: 'decision', values: [{ value: 'accept' }, { value: 'adjust' }], validate: { required: true } },
          { type: 'number', key: 'approvedAmount', validate: { required: true }, conditional: { hide: '=this.decision != "adjust"' } },
        ],
      },
    ],
  };
  const presented = { reference: 'CLM-1', items: [{ itemId: 'a', amount: 10 }, { itemId: 'b', amount: 20 }] };

  test('evaluates a row\'s condition against the row (this), not the root', () => {
    const rows = [{ itemId: 'a', amount: 10, decision: 'adjust', approvedAmount: 5 }, { itemId: 'b', amount: 20, decision: 'accept' }];
    expect(validateFormData(rowsForm, { reference: 'CLM-1', items: rows }, presented)).toEqual([]);
    expect(validateFormData(rowsForm, { items: [{ itemId: 'a', amount: 10, decision: 'adjust' }, { itemId: 'b', amount: 20, decision: 'accept', approvedAmount: 20 }] }, presented)).toEqual([
      { name: 'items[0].approvedAmount', reason: 'is required (approvedAmount)' },
      { name: 'items[1].approvedAmount', reason: 'is hidden by the form and must not be given a value' },
    ]);
  });

  test('refuses a change to a read-only field, at the root and in rows', () => {
    const errors = validateFormData(rowsForm, { reference: 'CLM-2', items: [{ itemId: 'a', amount: 10, decision: 'accept' }, { itemId: 'b', amount: 2000, decision: 'accept' }] }, presented);
    expect(validateFormData(rowsForm, { reference: 'CLM-1' }, presented)).toEqual([]);
    expect(errors).toEqual([
      { name: 'reference', reason: 'is read-only and must keep the value the task presented' },
      { name: 'items[1].amount', reason: 'is read-only and must keep the value the task presented' },
    ]);
  });

  test('rows carry the items the task presented: none swapped, added or dropped', () => {
    const swapped = validateFormData(rowsForm, { items: [{ itemId: 'b', amount: 10, decision: 'accept' }, { itemId: 'a', amount: 20, decision: 'accept' }] }, presented);
    expect(swapped.map((e) => e.name)).toEqual(['items[0].itemId', 'items[1].itemId']);
    const dropped = validateFormData(rowsForm, { items: [{ itemId: 'a', amount: 10, decision: 'accept' }] }, presented);
    expect(dropped).toEqual([{ name: 'items', reason: 'must keep the 2 rows the task presented' }]);
    const foreign = validateFormData(rowsForm, { items: [{ itemId: 'a', amount: 10, decision: 'accept' }, { itemId: 'x', amount: 20, decision: 'accept' }] }, presented);
    expect(foreign.map((e) => e.name)).toEqual(['items[1].itemId']);
  });

  test('a row must carry its read-only values (the row replaces the variable); the root may leave them out', () => {
    const full = [{ itemId: 'a', amount: 10, decision: 'accept' }, { itemId: 'b', amount: 20, decision: 'accept' }];
    expect(validateFormData(rowsForm, { items: full }, presented)).toEqual([]);
    const bare = validateFormData(rowsForm, { items: [{ itemId: 'a', amount: 10, decision: 'accept' }, { amount: 20, decision: 'accept' }] }, presented);
    expect(bare).toEqual([{ name: 'items[1].itemId', reason: 'is read-only and must keep the value the task presented' }]);
  });

  test('refuses keys that are not fields of the form, at any depth', () => {
    expect(validateFormData(assessForm, { decision: 'reject', totalPaid: 1, items: [{ itemId: 'a', outcome: 'accept', extra: 1 }] }).map((e) => e.name)).toEqual(['items[0].extra', 'totalPaid']);
  });
});
