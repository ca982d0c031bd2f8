import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { date, money, words } from '@claims/portal-web/common/format';
import { Link, navigate } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';

/** Who may search (the portal checks the same roles: claims staff who see every claim). */
export const SEARCH_ROLES = ['adjuster', 'manager', 'investigator', 'call-center', 'operations'];

const STATUSES = ['received', 'validating', 'information-requested', 'screening', 'in-review', 'investigating', 'awaiting-approval', 'approved', 'payment-pending', 'payment-failed', 'paid', 'closed-nothing-payable', 'rejected', 'abandoned'];
const ROUTES = ['straight-through', 'review', 'investigation'];
/** The filters `GET /api/staff/search/claims` takes; kept in the page's URL so a search can be shared and Back works. */
const CLAIM_FILTERS = ['reference', 'client', 'customerId', 'status', 'route', 'submittedFrom', 'submittedTo', 'minAmount', 'maxAmount', 'offset'] as const;
const PAGE = 25;

interface ClaimHit {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly route: string | null;
  readonly currency: string;
  readonly totalClaimed: number;
  readonly submittedAt: string;
  readonly incident?: boolean;
  readonly customer: { id: string; name: string; number: string };
  readonly policyNumber: string;
}

interface CustomerHit {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly policyNumbers: string[];
  /** Each policy with its id, for the contract view (absent from older portals). */
  readonly policies?: { id: string; number: string }[];
  readonly claims: number;
}

interface Found<T> {
  readonly items: T[];
  readonly total: number;
  readonly totalCapped?: boolean;
}

/**
 * Find any claim or customer, whether or not a task is open on it: customers
 * by name, email, phone or number (typos tolerated), claims by their filters.
 * "/" puts the cursor in the customer search from anywhere on the page.
 */
export function SearchPage(props: { api: Api; query: URLSearchParams; opensCustomers?: boolean; bills?: boolean }) {
  const q = props.query.get('q') ?? '';
  const filters = Object.fromEntries(CLAIM_FILTERS.map((key): [string, string] => [key, props.query.get(key) ?? '']).filter(([, value]) => value));
  const claimSearch = new URLSearchParams({ ...filters, limit: String(PAGE) }).toString();
  const [customers, setCustomers] = useState<Found<CustomerHit>>();
  const [claims, setClaims] = useState<Found<ClaimHit>>();
  const [error, setError] = useState<string>();
  const [text, setText] = useState(q);
  const box = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Search · Claims staff';
    const slash = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) {
        event.preventDefault();
        box.current?.focus();
      }
    };
    document.addEventListener('keydown', slash);
    return () => document.removeEventListener('keydown', slash);
  }, []);

  useEffect(() => {
    setText(q);
    if (q.trim().length < 2) return setCustomers(undefined);
    props.api.get<Found<CustomerHit>>(`/staff/search/customers?${new URLSearchParams({ q, limit: '10' }).toString()}`).then((found) => {
      setCustomers(found);
      setError(undefined);
    }, (e: unknown) => setError(messageOf(e)));
  }, [q]);

  useEffect(() => {
    setClaims(undefined);
    props.api.get<Found<ClaimHit>>(`/staff/search/claims?${claimSearch}`).then((found) => {
      setClaims(found);
      setError(undefined);
    }, (e: unknown) => setError(messageOf(e)));
  }, [claimSearch]);

  const go = (next: Record<string, string | undefined>) => {
    const params = new URLSearchParams(Object.entries(next).filter((entry): entry is [string, string] => Boolean(entry[1])));
    navigate(`/staff/search?${params.toString()}`, { replace: false });
  };
  const searchCustomers = (event: Event) => {
    event.preventDefault();
    go({ ...filters, offset: undefined, q: text.trim() });
  };
  const searchClaims = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    go({ q, ...Object.fromEntries(CLAIM_FILTERS.filter((key) => key !== 'offset').map((key) => [key, String(form.get(key) as string | null ?? '').trim()])) });
  };
  const offset = Number(filters.offset ?? 0);

  return (
    <>
      <h1>Search</h1>
      <form role="search" aria-label="Customers" class="card search-box" onSubmit={searchCustomers}>
        <label for="customer-q">Customer: name, email, phone, customer or policy number <span class="muted">(press / to come back here)</span></label>
        <div class="search-row">
          <input id="customer-q" ref={box} type="search" autoComplete="off" enterKeyHint="search" minLength={2} maxLength={100} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit">Find customers</button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {customers ? (
        <section aria-labelledby="customers-title">
          <h2 id="customers-title">Customers ({customers.total})</h2>
          {customers.items.length === 0 ? <p>No customer matches “{q}”.</p> : (
            <table class="data" aria-label="Customers found">
              <thead><tr><th scope="col">Customer</th><th scope="col">Number</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">Policies</th><th scope="col"><span class="sr-only">Claims</span></th></tr></thead>
              <tbody>
                {customers.items.map((customer) => (
                  <tr key={customer.id}>
                    <td data-label="Customer">{props.opensCustomers ? <Link href={`/staff/customers/${customer.id}`}>{customer.name}</Link> : customer.name}{props.bills ? <> · <Link href={`/staff/billing/customers/${customer.id}`}>billing<span class="sr-only"> of {customer.name}</span></Link></> : null}</td>
                    <td data-label="Number">{customer.number}</td>
                    <td data-label="Email">{customer.email}</td>
                    <td data-label="Phone">{customer.phone ?? '—'}</td>
                    <td data-label="Policies">{customer.policies ? customer.policies.map((p, i) => <span key={p.id}>{i > 0 ? ', ' : ''}<Link href={`/staff/policies/${p.id}`}>{p.number}</Link></span>) : customer.policyNumbers.join(', ')}</td>
                    <td><button type="button" class="secondary" onClick={() => go({ q, customerId: customer.id })}>{customer.claims} claim{customer.claims === 1 ? '' : 's'}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}

      <details class="card" open>
        <summary>Claim filters</summary>
        <form class="filters" aria-label="Claim filters" onSubmit={searchClaims} key={claimSearch}>
          <label>Reference<input name="reference" defaultValue={filters.reference} placeholder="CLM-2026-000042" minLength={3} maxLength={40} autoComplete="off" /></label>
          <label>Client<input name="client" defaultValue={filters.client} placeholder="name, email or number" minLength={2} maxLength={100} autoComplete="off" /></label>
          <label>Status
            <select name="status" defaultValue={filters.status ?? ''}>
              <option value="">any</option>
              {STATUSES.map((status) => <option key={status} value={status}>{words(status)}</option>)}
            </select>
          </label>
          <label>Route
            <select name="route" defaultValue={filters.route ?? ''}>
              <option value="">any</option>
              {ROUTES.map((route) => <option key={route} value={route}>{words(route)}</option>)}
            </select>
          </label>
          <label>Submitted from<input name="submittedFrom" type="date" defaultValue={filters.submittedFrom} /></label>
          <label>Submitted to<input name="submittedTo" type="date" defaultValue={filters.submittedTo} /></label>
          <label>Amount from<input name="minAmount" type="number" inputMode="decimal" min={0} step="0.01" defaultValue={filters.minAmount} /></label>
          <label>Amount to<input name="maxAmount" type="number" inputMode="decimal" min={0} step="0.01" defaultValue={filters.maxAmount} /></label>
          <input type="hidden" name="customerId" value={filters.customerId ?? ''} />
          <button type="submit">Search claims</button>
          <button type="button" class="secondary" onClick={() => go({ q })}>Clear filters</button>
        </form>
      </details>

      <section aria-labelledby="claims-title">
        <h2 id="claims-title">Claims{claims ? ` (${claims.totalCapped ? `more than ${claims.total.toLocaleString('en-GB')}` : claims.total})` : ''}</h2>
        {filters.customerId ? <p class="muted">Claims of one customer. <button type="button" class="quiet" onClick={() => go({ ...filters, customerId: undefined, offset: undefined, q })}>Show everyone's</button></p> : null}
        {!claims ? <Loading what="claims" /> : claims.items.length === 0 ? <p>No claim matches these filters.</p> : (
          <table class="data" aria-label="Claims found">
            <thead><tr><th scope="col">Claim</th><th scope="col">Client</th><th scope="col">Status</th><th scope="col">Route</th><th scope="col" class="num">Claimed</th><th scope="col">Submitted</th></tr></thead>
            <tbody>
              {claims.items.map((claim) => (
                <tr key={claim.id}>
                  <td data-label="Claim"><Link href={`/staff/?${new URLSearchParams({ scope: 'open', claimReference: claim.reference }).toString()}`}>{claim.reference}</Link></td>
                  <td data-label="Client">{claim.customer.name} <span class="muted">{claim.customer.number}</span></td>
                  <td data-label="Status">{words(claim.status)} {claim.incident ? <span class="badge overdue" title="The claim's process is stopped on an incident">Incident</span> : null}</td>
                  <td data-label="Route">{claim.route ? words(claim.route) : '—'}</td>
                  <td data-label="Claimed" class="num">{money(claim.totalClaimed, claim.currency)}</td>
                  <td data-label="Submitted">{date(claim.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {claims && (offset > 0 || offset + PAGE < claims.total) ? (
          <nav class="pager" aria-label="Pages of claims">
            <button type="button" class="secondary" disabled={offset === 0} onClick={() => go({ q, ...filters, offset: String(Math.max(0, offset - PAGE)) })}>Previous</button>
            <span>{offset + 1}–{offset + claims.items.length}</span>
            <button type="button" class="secondary" disabled={offset + PAGE >= claims.total} onClick={() => go({ q, ...filters, offset: String(offset + PAGE) })}>Next</button>
          </nav>
        ) : null}
      </section>
    </>
  );
}
