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

  test('skips fields hidden by their condition', () => {
    expect(validateFormData(assessForm, { decision: 'reject', amount: -5 })).toEqual([]);
  });

  test('refuses keys that are not fields of the form, at any depth', () => {
    expect(validateFormData(assessForm, { decision: 'reject', totalPaid: 1, items: [{ itemId: 'a', outcome: 'accept', extra: 1 }] }).map((e) => e.name)).toEqual(['items[0].extra', 'totalPaid']);
  });
});
