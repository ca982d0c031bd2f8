import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, messageOf } from '../common/api';
import { type BenefitCoverage, type ClaimView, type PolicyView } from '../common/types';
import { ErrorMessage } from '../common/ui';

interface ItemFields {
  serviceDate: string;
  providerName: string;
  careCode: string;
  amount: string;
}

const EMPTY: ItemFields = { serviceDate: '', providerName: '', careCode: '', amount: '' };

/**
 * The care items of a draft that has none yet: one opened from receipts the
 * client emailed to the claims mailbox. What the care was, when, from whom
 * and how much, per line; saved with PUT /claims/{id}/items, then the draft
 * is sent as any other. The field at fault is named next to it.
 */
export function DraftCareItems(props: { api: Api; claim: ClaimView; onSaved: () => void }) {
  const [rows, setRows] = useState<ItemFields[]>([{ ...EMPTY }]);
  const [benefits, setBenefits] = useState<readonly BenefitCoverage[]>([]);
  const [error, setError] = useState<string>();
  const [faults, setFaults] = useState<ReadonlyMap<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const today = new Date().toISOString().slice(0, 10);

  useEffect(() => {
    props.api.get<{ items: PolicyView[] }>('/me/policies').then((answer) => setBenefits(answer.items.find((p) => p.id === props.claim.policyId)?.coverage?.benefits ?? []), () => setBenefits([]));
  }, [props.claim.policyId]);

  const set = (index: number, field: keyof ItemFields, value: string) => setRows(rows.map((row, i) => (i === index ? { ...row, [field]: value } : row)));

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await props.api.put(`/claims/${props.claim.id}/items`, { items: rows.map((row) => ({ serviceDate: row.serviceDate, providerName: row.providerName.trim(), careCode: row.careCode, amount: Number(row.amount) })) });
      setFaults(new Map());
      setError(undefined);
      props.onSaved();
    } catch (e) {
      setFaults(new Map(e instanceof ApiError ? e.errors.map((fault) => [fault.name, fault.reason]) : []));
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const fault = (index: number, field: string) => faults.get(`items[${index}].${field}`);
  return (
    <form class="card" onSubmit={(event) => void save(event)} aria-labelledby="care-items-title">
      <h2 id="care-items-title">What was the care?</h2>
      <p>We have your receipts. Tell us, for each one, when you were treated, by whom, what for and how much you paid.</p>
      {rows.map((row, index) => {
        const id = (field: string) => `care-${index}-${field}`;
        return (
          <fieldset key={index}>
            <legend>Care {index + 1}</legend>
            <label for={id('date')}>Date of care</label>
            <input id={id('date')} type="date" required max={today} value={row.serviceDate} onInput={(e) => set(index, 'serviceDate', (e.target as HTMLInputElement).value)} aria-invalid={fault(index, 'serviceDate') ? true : undefined} aria-describedby={fault(index, 'serviceDate') ? `${id('date')}-fault` : undefined} />
            {fault(index, 'serviceDate') ? <p class="error" id={`${id('date')}-fault`}>{fault(index, 'serviceDate')}</p> : null}
            <label for={id('provider')}>Doctor, pharmacy or hospital</label>
            <input id={id('provider')} required maxLength={200} value={row.providerName} onInput={(e) => set(index, 'providerName', (e.target as HTMLInputElement).value)} />
            <label for={id('care')}>Kind of care</label>
            <select id={id('care')} required value={row.careCode} onChange={(e) => set(index, 'careCode', (e.target as HTMLSelectElement).value)}>
              <option value="">Choose…</option>
              {benefits.map((benefit) => <option key={benefit.careCode} value={benefit.careCode}>{benefit.label}</option>)}
            </select>
            <label for={id('amount')}>Amount paid ({props.claim.currency})</label>
            <input id={id('amount')} type="number" inputMode="decimal" min="0.01" step="0.01" required value={row.amount} onInput={(e) => set(index, 'amount', (e.target as HTMLInputElement).value)} aria-invalid={fault(index, 'amount') ? true : undefined} aria-describedby={fault(index, 'amount') ? `${id('amount')}-fault` : undefined} />
            {fault(index, 'amount') ? <p class="error" id={`${id('amount')}-fault`}>{fault(index, 'amount')}</p> : null}
            {rows.length > 1 ? <button type="button" class="secondary" onClick={() => setRows(rows.filter((_, i) => i !== index))}>Remove care {index + 1}</button> : null}
          </fieldset>
        );
      })}
      <button type="button" class="secondary" disabled={rows.length >= 50} onClick={() => setRows([...rows, { ...EMPTY }])}>Add another care</button>
      <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save the care'}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
