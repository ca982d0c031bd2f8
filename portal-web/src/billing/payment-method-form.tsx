import { useState } from 'preact/hooks';
import { type Api, ApiError, messageOf } from '../common/api';
import { ErrorMessage } from '../common/ui';
import { type PaymentMethod } from './invoice-types';

/**
 * A new SEPA direct-debit mandate for the policy: the account holder and the
 * IBAN (checked by the portal, which says what is wrong with it). Saving it
 * is signing the mandate; it replaces the method collected from until now.
 */
export function PaymentMethodForm(props: { api: Api; policyId: string; onSaved: (method: PaymentMethod) => void }) {
  const [accountHolder, setAccountHolder] = useState('');
  const [iban, setIban] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    setFieldErrors({});
    try {
      const answer = await props.api.put<{ method: PaymentMethod }>(`/me/payment-methods/${encodeURIComponent(props.policyId)}`, { kind: 'sepa-direct-debit', accountHolder, iban });
      props.onSaved(answer.method);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length > 0) {
        // The fields say what is wrong beside themselves; the alert only points there.
        setFieldErrors(Object.fromEntries(e.errors.map((f) => [f.name, f.reason])));
        setError('Please check the details below.');
      } else setError(messageOf(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form id="payment-method-form" onSubmit={(e) => void save(e)} aria-labelledby="method-title" noValidate>
      <h3 id="method-title">Pay by direct debit</h3>
      <ErrorMessage error={error} />
      <label for="method-holder">Account holder</label>
      <input id="method-holder" autocomplete="name" value={accountHolder} onInput={(e) => setAccountHolder(e.currentTarget.value)} aria-invalid={fieldErrors.accountHolder ? true : undefined} aria-describedby={fieldErrors.accountHolder ? 'method-holder-error' : undefined} required />
      {fieldErrors.accountHolder ? <p id="method-holder-error" class="field-error">Account holder {fieldErrors.accountHolder}</p> : null}
      <label for="method-iban">IBAN</label>
      <input id="method-iban" inputMode="text" autocomplete="off" spellcheck={false} value={iban} onInput={(e) => setIban(e.currentTarget.value)} aria-invalid={fieldErrors.iban ? true : undefined} aria-describedby={fieldErrors.iban ? 'method-iban-error' : 'method-iban-hint'} required />
      {fieldErrors.iban ? <p id="method-iban-error" class="field-error">IBAN {fieldErrors.iban}</p> : <p id="method-iban-hint" class="muted">By saving, you authorise us to collect your premiums from this account by SEPA direct debit.</p>}
      <button type="submit" disabled={saving}>{saving ? 'Saving…' : 'Save and use this account'}</button>
    </form>
  );
}
