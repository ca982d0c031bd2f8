import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '../common/api';
import { date, dateTime, money } from '../common/format';
import { Link } from '../common/router';
import { type ClaimView, type PolicyView } from '../common/types';
import { ErrorMessage, Loading } from '../common/ui';
import { NoPolicyYet } from './no-policy-yet';

/** My policies with what is left to claim this year, and my claims. */
export function HomePage(props: { api: Api }) {
  const [policies, setPolicies] = useState<PolicyView[]>();
  const [claims, setClaims] = useState<ClaimView[]>();
  const [formDraft, setFormDraft] = useState<{ updatedAt: string } | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    props.api.get<{ draft: { updatedAt: string } | null }>('/me/claim-draft').then((r) => setFormDraft(r.draft), () => undefined);
    document.title = 'Overview · My claims';
    props.api.get<{ items: PolicyView[] }>('/me/policies').then((r) => setPolicies(r.items), (e: unknown) => setError(messageOf(e)));
    props.api.get<{ items: ClaimView[] }>('/claims?limit=50').then((r) => setClaims(r.items), (e: unknown) => setError(messageOf(e)));
  }, []);
  return (
    <>
      <h1>Overview</h1>
      <ErrorMessage error={error} />
      <Drafts formDraft={formDraft} drafts={(claims ?? []).filter((claim) => claim.status === 'draft')} />
      {/* Nothing to claim on without a policy: a new client starts from a quote (below). */}
      {policies?.length === 0 ? null : <div class="actions"><Link href="/claims/new" class="button">{formDraft ? 'Continue your request' : 'Request a reimbursement'}</Link></div>}
      <h2>My policies</h2>
      {!policies ? <Loading what="your policies" /> : policies.length === 0 ? <NoPolicyYet api={props.api} /> : policies.map((policy) => <PolicyCard key={policy.id} policy={policy} />)}
      <h2>My claims</h2>
      {!claims ? (
        <Loading what="your claims" />
      ) : claims.length === 0 ? (
        <p>You have not sent a request yet.</p>
      ) : (
        <ul class="claims-list card">
          {claims.map((claim) => (
            <li key={claim.id}>
              <Link href={`/claims/${claim.id}`}>{claim.reference}</Link>
              <span class="muted">{claim.status === 'draft' ? 'started' : 'sent'} {date(claim.submittedAt)}</span>
              <span>{money(claim.totalClaimed, claim.currency)}</span>
              <span class={`badge status-${claim.status}`}>{claim.statusText}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** What the client started and has not sent: the request form saved as a draft, and claims filed but not sent. */
function Drafts(props: { formDraft: { updatedAt: string } | null; drafts: readonly ClaimView[] }) {
  if (!props.formDraft && props.drafts.length === 0) return null;
  return (
    <section class="card notice drafts" aria-labelledby="drafts-title">
      <h2 id="drafts-title">Not sent yet</h2>
      <ul>
        {props.formDraft ? <li>A request you started, saved {dateTime(props.formDraft.updatedAt)}: <Link href="/claims/new">continue it</Link>.</li> : null}
        {props.drafts.map((claim) => (
          <li key={claim.id}>Claim {claim.reference} for {money(claim.totalClaimed, claim.currency)} is waiting for you to send it: <Link href={`/claims/${claim.id}`}>finish claim {claim.reference}</Link>.</li>
        ))}
      </ul>
    </section>
  );
}

function PolicyCard(props: { policy: PolicyView }) {
  const { policy } = props;
  const coverage = policy.coverage;
  return (
    <section class="card policy" aria-labelledby={`policy-${policy.id}`}>
      <h2 id={`policy-${policy.id}`}>{policy.product} <span class="muted">· {policy.number}</span></h2>
      <p class="muted">Valid {date(policy.startsOn)} to {date(policy.endsOn)} · {policy.status}</p>
      <p><Link href={`/policies/${policy.id}`}>Contract, people covered and renewal</Link></p>
      {coverage ? (
        <>
          <Remaining label="Your policy can still pay this policy year" remaining={coverage.annualRemaining} limit={coverage.annualLimit} currency={policy.currency} />
          <p>Deductible still to bear: <strong>{money(coverage.deductibleRemaining, policy.currency)}</strong> of {money(coverage.deductible, policy.currency)}</p>
          <details>
            <summary>Coverage by kind of care</summary>
            <table class="data">
              <thead><tr><th scope="col">Care</th><th scope="col" class="num">Per item</th><th scope="col" class="num">Left this year</th><th scope="col">Covered from</th></tr></thead>
              <tbody>
                {coverage.benefits.map((benefit) => (
                  <tr key={benefit.careCode}>
                    <th scope="row" data-label="Care">{benefit.label}</th>
                    <td class="num" data-label="Per item">{money(benefit.perItemLimit, policy.currency)}</td>
                    <td class="num" data-label="Left this year">{money(benefit.remaining, policy.currency)} of {money(benefit.annualLimit, policy.currency)}</td>
                    <td data-label="Covered from">{date(benefit.coveredFrom)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : null}
    </section>
  );
}

function Remaining(props: { label: string; remaining: number; limit: number; currency: string }) {
  const share = props.limit > 0 ? Math.max(0, Math.min(1, props.remaining / props.limit)) : 0;
  return (
    <div>
      <p>{props.label}: <strong>{money(props.remaining, props.currency)}</strong> of {money(props.limit, props.currency)}</p>
      <div class="meter" role="meter" aria-label={props.label} aria-valuemin={0} aria-valuemax={props.limit} aria-valuenow={props.remaining}><span style={{ width: `${share * 100}%` }} /></div>
    </div>
  );
}
