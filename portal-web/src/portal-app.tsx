import { ApplicationPage } from './applications/application-page';
import { ApplyPage } from './applications/apply-page';
import { MyApplicationsPage, MyDocumentsPage } from './applications/my-applications-page';
import { InvoicePage } from './billing/invoice-page';
import { MyInvoicesPage } from './billing/my-invoices-page';
import { type Api } from './common/api';
import { type Session } from './common/auth';
import { match, useLocation } from './common/router';
import { Shell } from './common/ui';
import { ClaimPage } from './pages/claim-page';
import { HomePage } from './pages/home-page';
import { NewClaimPage } from './pages/new-claim-page';
import { PolicyPage } from './pages/policy-page';
import { notAttachedOf } from './documents/upload-files';
import { NewQuotePage } from './quotes/new-quote-page';
import { QuotePage } from './quotes/quote-page';

export function PortalApp(props: { session: Session; api: Api }) {
  const { path, query } = useLocation();
  const claim = match('/claims/:claimId', path);
  const quote = match('/quotes/:quoteId', path);
  const policy = match('/policies/:policyId', path);
  const applyFrom = match('/quotes/:quoteId/application', path);
  const application = match('/applications/:applicationId', path);
  const invoice = match('/invoices/:invoiceId', path);
  const page = applyFrom ? <ApplyPage api={props.api} quoteId={applyFrom.quoteId!} /> : application ? <ApplicationPage api={props.api} applicationId={application.applicationId!} notSent={query.get('notSent') ?? undefined} /> : path === '/applications' ? <MyApplicationsPage api={props.api} /> : path === '/invoices' ? <MyInvoicesPage api={props.api} /> : invoice ? <InvoicePage api={props.api} invoiceId={invoice.invoiceId!} /> : path === '/documents' ? <MyDocumentsPage api={props.api} /> : path === '/claims/new' ? <NewClaimPage api={props.api} /> : path === '/quotes/new' ? <NewQuotePage api={props.api} /> : quote ? <QuotePage api={props.api} quoteId={quote.quoteId!} /> : policy ? <PolicyPage api={props.api} policyId={policy.policyId!} /> : claim ? <ClaimPage api={props.api} claimId={claim.claimId!} notAttached={notAttachedOf(query)} /> : <HomePage api={props.api} />;
  return (
    <Shell
      app="My claims"
      home="/"
      session={props.session}
      nav={[
        { href: '/', label: 'Overview', current: path === '/' },
        { href: '/claims/new', label: 'Request a reimbursement', current: path === '/claims/new' },
        { href: '/quotes/new', label: 'Get a quote', current: path.startsWith('/quotes') },
        { href: '/applications', label: 'My applications', current: path.startsWith('/applications') },
        { href: '/documents', label: 'My documents', current: path === '/documents' },
        { href: '/invoices', label: 'My invoices', current: path.startsWith('/invoices') },
      ]}
    >
      {page}
    </Shell>
  );
}
