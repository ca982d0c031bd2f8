import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '../common/api';
import { date } from '../common/format';
import { Link } from '../common/router';
import { ErrorMessage, Loading } from '../common/ui';
import { type ContractView, STATE_WORDS } from '../common/contract-types';
import { cents } from '../quotes/quote-money';

/** My policy: where it stands and since when, who it covers, its terms over time, and the renewal offer I may decline. */
export function PolicyPage(props: { api: Api; policyId: string }) {
  const [contract, setContract] = useState<ContractView>();
  const [error, setError] = useState<string>();
  const [declining, setDeclining] = useState(false);
  const path = `/me/policies/${encodeURIComponent(props.policyId)}`;
  useEffect(() => {
    props.api.get<ContractView>(`${path}/contract`).then(setContract, (e: unknown) => setError(messageOf(e)));
  }, [path]);
  if (!contract) return error ? <ErrorMessage error={error} /> : <Loading what="your policy" />;
  const { policy, renewal } = contract;
  const decline = async () => {
    if (!window.confirm(`Decline the renewal? Policy ${policy.number} then ends on ${date(renewal!.termEndsOn)} and care after that day is not covered.`)) return;
    setDeclining(true);
    setError(undefined);
    try {
      setContract(await props.api.post<ContractView>(`${path}/renewal/decline`));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setDeclining(false);
    }
  };
  return (
    <article aria-labelledby="policy-title">
      <p><Link href="/">← Overview</Link></p>
      <h1 id="policy-title">{policy.product} <span class="muted">· {policy.number}</span></h1>
      <p><strong data-testid="policy-state">{STATE_WORDS[policy.statusToday] ?? policy.statusToday}</strong> · valid {date(policy.startsOn)} to {date(policy.endsOn)}</p>
      <ErrorMessage error={error} />
      {renewal ? (
        <section class="card" aria-labelledby="renewal-title">
          <h2 id="renewal-title">Renewal</h2>
          {renewal.status === 'offered' ? (
            <>
              <p>We will renew your policy on {date(renewal.termEndsOn)} until {date(renewal.newEndsOn)} for <strong>{cents(renewal.yearlyPremiumCents, policy.currency)}</strong> a year ({cents(renewal.periodPremiumCents, policy.currency)} per instalment). You need do nothing to keep your cover.</p>
              {renewal.declinable ? <button type="button" class="secondary" disabled={declining} onClick={() => void decline()}>Decline the renewal</button> : null}
            </>
          ) : renewal.status === 'declined' ? (
            <p>You declined the renewal: your policy ends on {date(renewal.termEndsOn)}.</p>
          ) : renewal.status === 'renewed' ? (
            <p>Renewed until {date(renewal.newEndsOn)} for {cents(renewal.yearlyPremiumCents, policy.currency)} a year.</p>
          ) : (
            <p>Your policy ended on {date(renewal.termEndsOn)}.</p>
          )}
        </section>
      ) : null}
      <section class="card" aria-labelledby="people-title">
        <h2 id="people-title">Who is covered</h2>
        <ul>
          <li>You, the policyholder</li>
          {contract.dependants.map((d) => <li key={d.id}>{d.fullName} ({d.relationship}), from {date(d.effectiveFrom)}{d.effectiveTo ? ` to ${date(d.effectiveTo)}` : ''}</li>)}
        </ul>
        {contract.beneficiaries.some((b) => b.effectiveTo === null) ? (
          <p>Beneficiaries: {contract.beneficiaries.filter((b) => b.effectiveTo === null).map((b) => `${b.fullName} ${b.sharePercent} %`).join(', ')}</p>
        ) : null}
      </section>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <table class="data" aria-label="States over time">
          <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">State</th></tr></thead>
          <tbody>{contract.statusHistory.map((p) => <tr key={p.effectiveFrom}><td data-label="From">{date(p.effectiveFrom)}</td><td data-label="To">{p.effectiveTo ? date(p.effectiveTo) : 'until further notice'}</td><td data-label="State">{STATE_WORDS[p.status] ?? p.status}</td></tr>)}</tbody>
        </table>
        <h3>Terms and premium</h3>
        <table class="data" aria-label="Terms and premium over time">
          <thead><tr><th scope="col">From</th><th scope="col">Change</th><th scope="col" class="num">Deductible</th><th scope="col" class="num">Yearly premium</th></tr></thead>
          <tbody>
            {contract.versions.map((v) => (
              <tr key={v.version}>
                <td data-label="From">{date(v.effectiveFrom)}</td>
                <td data-label="Change">{v.change}{v.adjustmentCents !== 0 ? ` (${v.adjustmentCents > 0 ? 'to pay' : 'refunded'} for the rest of the policy year: ${cents(Math.abs(v.adjustmentCents), policy.currency)})` : ''}</td>
                <td class="num" data-label="Deductible">{cents(v.annualDeductibleCents, policy.currency)}</td>
                <td class="num" data-label="Yearly premium">{v.yearlyPremiumCents === null ? '—' : cents(v.yearlyPremiumCents, policy.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
