import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api, messageOf } from '@claims/portal-web/common/api';
import { date } from '@claims/portal-web/common/format';
import { Link } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { type ContractView, STATE_WORDS } from '@claims/portal-web/common/contract-types';
import { money as formatMoney } from '@claims/portal-web/common/format';

/** Who may change a contract (the portal checks the same roles): the call center and managers. */
export const CONTRACT_EDITOR_ROLES = ['call-center', 'manager'];

/** What bpmn/cancellation-refund.dmn decides the refund by: the client's own choice costs a short-rate penalty after the cooling-off period. */
const CANCELLATION_REASONS: Record<string, string> = { 'client-request': 'The client asks', insurer: 'We end it', death: 'The client died', 'moved-abroad': 'The client moved abroad' };

type StaffContract = ContractView & { readonly versions: readonly (ContractView['versions'][number] & { readonly breakdown?: readonly { factor: string; label: string; subtotalCents: number }[] | null })[] };

/**
 * A policy's contract for staff, reached from the staff search: state today
 * and its history with the notes for the file, the terms over time with
 * their premiums, dependants, beneficiaries, the renewal; and, for the call
 * center and managers, a mid-term change and a cancellation.
 */
export function ContractPage(props: { api: Api; policyId: string; edits: boolean }) {
  const [contract, setContract] = useState<StaffContract>();
  const [error, setError] = useState<string>();
  const path = `/policies/${encodeURIComponent(props.policyId)}`;
  useEffect(() => {
    props.api.get<StaffContract>(`${path}/contract`).then(setContract, (e: unknown) => setError(messageOf(e)));
  }, [path]);
  if (!contract) return error ? <ErrorMessage error={error} /> : <Loading what="the contract" />;
  const { policy } = contract;
  // Integer cents shown in currency units; the division is for display only.
  const money = (value: number | null) => (value === null ? '—' : formatMoney(value / 100, policy.currency));
  return (
    <article aria-labelledby="contract-title">
      <p><Link href="/staff/search">← Search</Link></p>
      <h1 id="contract-title">Policy {policy.number} <span class="muted">· {policy.product}</span></h1>
      <p><strong data-testid="contract-state">{STATE_WORDS[policy.statusToday] ?? policy.statusToday}</strong> · {date(policy.startsOn)} to {date(policy.endsOn)} · deductible {money(policy.annualDeductibleCents)} · paid {policy.paymentFrequency}</p>
      <section class="card" aria-labelledby="state-history">
        <h2 id="state-history">State history</h2>
        <table class="data">
          <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">State</th><th scope="col">Why (file only)</th><th scope="col">By</th></tr></thead>
          <tbody>{contract.statusHistory.map((p) => <tr key={`${p.status}-${p.effectiveFrom}`}><td>{date(p.effectiveFrom)}</td><td>{p.effectiveTo ? date(p.effectiveTo) : 'open'}</td><td>{p.status}</td><td>{p.reason}</td><td>{p.recordedBy}</td></tr>)}</tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="endorsements">
        <h2 id="endorsements">Terms and premium (endorsements)</h2>
        <table class="data">
          <thead><tr><th scope="col">#</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Change</th><th scope="col">Insured</th><th scope="col" class="num">Deductible</th><th scope="col" class="num">Yearly premium</th><th scope="col" class="num">Rest of year</th></tr></thead>
          <tbody>
            {contract.versions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td><td>{date(v.effectiveFrom)}</td><td>{v.effectiveTo ? date(v.effectiveTo) : 'open'}</td><td>{v.change}</td><td>{v.insuredCount}</td>
                <td class="num">{money(v.annualDeductibleCents)}</td><td class="num">{money(v.yearlyPremiumCents)}</td><td class="num">{v.adjustmentCents === 0 ? '—' : `${v.adjustmentCents > 0 ? '+' : '−'} ${money(Math.abs(v.adjustmentCents))}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="people">
        <h2 id="people">Dependants and beneficiaries</h2>
        {contract.dependants.length === 0 ? <p>No dependants.</p> : <ul>{contract.dependants.map((d) => <li key={d.id}>{d.fullName} ({d.relationship}, born {date(d.birthDate)}), {date(d.effectiveFrom)}{d.effectiveTo ? ` to ${date(d.effectiveTo)}` : ' on'}</li>)}</ul>}
        {contract.beneficiaries.length === 0 ? <p>No beneficiaries recorded.</p> : <ul>{contract.beneficiaries.map((b) => <li key={b.id}>{b.fullName} ({b.relationship}) {b.sharePercent} %, {date(b.effectiveFrom)}{b.effectiveTo ? ` to ${date(b.effectiveTo)}` : ' on'}</li>)}</ul>}
      </section>
      {contract.renewal ? (
        <section class="card" aria-labelledby="renewal">
          <h2 id="renewal">Renewal</h2>
          <p>{contract.renewal.status}: term ending {date(contract.renewal.termEndsOn)}, next until {date(contract.renewal.newEndsOn)} for {money(contract.renewal.yearlyPremiumCents)} a year.</p>
        </section>
      ) : null}
      {props.edits && (policy.statusToday !== 'cancelled' && policy.statusToday !== 'expired') ? <ContractActions api={props.api} path={path} onChanged={setContract} /> : null}
    </article>
  );
}

/** The mid-term change and the cancellation, each a plain form; the portal re-prices and names any field at fault. */
function ContractActions(props: { api: Api; path: string; onChanged: (contract: StaffContract) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const send = async (event: Event, action: (form: FormData) => Promise<StaffContract>) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onChanged(await action(new FormData(event.currentTarget as HTMLFormElement)));
      (event.currentTarget as HTMLFormElement | null)?.reset();
    } catch (e) {
      setError(e instanceof ApiError && e.errors.length > 0 ? e.errors.map((f) => `${f.name} ${f.reason}`).join('; ') : messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const text = (form: FormData, name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const change = (form: FormData) => {
    const deductible = text(form, 'deductible');
    const dependant = text(form, 'dependantName');
    return props.api.post<StaffContract>(`${props.path}/endorsements`, {
      effectiveFrom: text(form, 'effectiveFrom'),
      ...(deductible ? { deductibleCents: Math.round(Number(deductible) * 100) } : {}),
      ...(dependant ? { addDependants: [{ fullName: dependant, relationship: text(form, 'relationship'), birthDate: text(form, 'birthDate') }] } : {}),
    });
  };
  const cancel = (form: FormData) => props.api.post<StaffContract>(`${props.path}/cancellation`, { effectiveFrom: text(form, 'effectiveFrom'), reason: text(form, 'reason'), cancellationReason: text(form, 'cancellationReason') });
  return (
    <>
      <ErrorMessage error={error} />
      <form class="card" aria-labelledby="change-title" onSubmit={(e) => void send(e, change)}>
        <h2 id="change-title">Mid-term change</h2>
        <label>Effective from <input name="effectiveFrom" type="date" required /></label>
        <label>New yearly deductible (€) <input name="deductible" type="number" min="0" step="0.01" /></label>
        <label>Add a dependant: name <input name="dependantName" maxLength={200} /></label>
        <label>Relationship <select name="relationship">{['child', 'spouse', 'partner', 'parent', 'sibling', 'other'].map((r) => <option key={r} value={r}>{r}</option>)}</select></label>
        <label>Birth date <input name="birthDate" type="date" /></label>
        <button type="submit" disabled={busy}>Re-price and record the change</button>
      </form>
      <form class="card" aria-labelledby="cancel-title" onSubmit={(e) => void send(e, cancel)}>
        <h2 id="cancel-title">Cancel the policy</h2>
        <label>Not covered from <input name="effectiveFrom" type="date" required /></label>
        <label>Who ends it (sets the refund) <select name="cancellationReason">{Object.entries(CANCELLATION_REASONS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}</select></label>
        <label>Why (file only) <input name="reason" required maxLength={1000} /></label>
        <button type="submit" class="secondary" disabled={busy}>Cancel the policy</button>
      </form>
    </>
  );
}
