import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api, messageOf } from '@claims/portal-web/common/api';

/** Who may change a client's bank details (the portal checks the same roles). */
export const PAYMENT_DETAILS_ROLES = ['call-center', 'manager'];

interface MaskedPaymentDetails {
  readonly accountHolder: string | null;
  readonly accountEnding: string | null;
}

interface ChangeAnswer extends MaskedPaymentDetails {
  readonly changed: boolean;
  readonly clientNotified: boolean;
}

/**
 * Changes the bank details of a claim's client, from the claim (or its "Fix
 * payment details" task, whose key is recorded with the change). Staff see
 * only the account's last four characters; the portal audits the change and
 * emails the client. A plain form: Tab between the fields, Enter sends;
 * full-width fields on a phone.
 */
export function PaymentDetailsForm(props: { api: Api; claimId: string; userTaskKey?: string }) {
  const [current, setCurrent] = useState<MaskedPaymentDetails>();
  const [holder, setHolder] = useState('');
  const [iban, setIban] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<string>();

  useEffect(() => {
    props.api.get<MaskedPaymentDetails>(`/claims/${props.claimId}/payment-details`).then((found) => {
      setCurrent(found);
      setHolder(found.accountHolder ?? '');
    }, (e: unknown) => setError(messageOf(e)));
  }, [props.claimId]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    setOutcome(undefined);
    try {
      const answer = await props.api.put<ChangeAnswer>(`/claims/${props.claimId}/payment-details`, { accountHolder: holder, iban, ...(props.userTaskKey ? { userTaskKey: props.userTaskKey } : {}) });
      setCurrent(answer);
      setIban('');
      setOutcome(
        !answer.changed
          ? 'These are already the client\'s bank details; nothing was changed.'
          : `Bank details changed: reimbursements now go to the account ending in ${answer.accountEnding}. ${answer.clientNotified ? 'The client was emailed about the change.' : 'The email to the client could not be sent yet; it is sent as soon as the mail server answers.'}`,
      );
    } catch (e) {
      // Faults of a field are said beside it; anything else once, below the form.
      const ofFields = e instanceof ApiError ? e.errors.filter((f) => f.name === 'accountHolder' || f.name === 'iban') : [];
      if (ofFields.length > 0) setFieldErrors(Object.fromEntries(ofFields.map((f) => [f.name, f.reason])));
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: 'accountHolder' | 'iban') => (fieldErrors[name] ? { 'aria-invalid': true, 'aria-describedby': `payment-${name}-error` } : {});
  return (
    <form class="payment-details" onSubmit={(event) => void submit(event)} aria-labelledby="payment-details-title">
      <h2 id="payment-details-title">Bank details</h2>
      <p data-testid="payment-details-current">
        {!current ? 'Loading the bank details…' : current.accountEnding ? `Paid into the account ending in ${current.accountEnding}${current.accountHolder ? `, held by ${current.accountHolder}` : ''}.` : 'No bank account on file.'}
      </p>
      <label for="payment-holder">Account holder</label>
      <input id="payment-holder" name="accountHolder" autocomplete="off" required minLength={2} maxLength={140} value={holder} onInput={(e) => setHolder(e.currentTarget.value)} {...field('accountHolder')} />
      {fieldErrors.accountHolder ? <p class="field-error" role="alert" id="payment-accountHolder-error">Account holder {fieldErrors.accountHolder}</p> : null}
      <label for="payment-iban">New IBAN</label>
      <input id="payment-iban" name="iban" autocomplete="off" autocapitalize="characters" spellcheck={false} required maxLength={64} placeholder="NL91 ABNA 0417 1643 00" value={iban} onInput={(e) => setIban(e.currentTarget.value)} {...field('iban')} />
      {fieldErrors.iban ? <p class="field-error" role="alert" id="payment-iban-error">IBAN {fieldErrors.iban}</p> : null}
      <p class="muted">The change is recorded with your name, and the client is emailed (with the last four characters only).</p>
      <div class="actions"><button type="submit" disabled={busy}>Change bank details</button></div>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {outcome ? <p class="ok" role="status">{outcome}</p> : null}
    </form>
  );
}
