import { type Api } from '@claims/portal-web/common/api';
import { type Session } from '@claims/portal-web/common/auth';
import { match, useLocation } from '@claims/portal-web/common/router';
import { Shell } from '@claims/portal-web/common/ui';
import { LazyModeler } from './modeler/lazy-modeler';
import { TaskListPage } from './pages/task-list-page';
import { TaskPage } from './pages/task-page';
import { PAYMENT_DETAILS_ROLES } from './payment-details-form';
import { SEARCH_ROLES, SearchPage } from './pages/search-page';
import { OPERATIONS_ROLES, OperationsPage } from './pages/operations-page';
import { OperationsInstancePage } from './pages/operations-instance-page';
import { CONTRACT_EDITOR_ROLES, ContractPage } from './pages/contract-page';
import { DASHBOARD_ROLES, DashboardPage } from './pages/dashboard-page';
import { CUSTOMER_AGENT_ROLES, CUSTOMER_SERVICE_ROLES, CustomerPage } from './pages/customer-page';
import { MAILBOX_ROLES, MailboxPage, MailPage } from './pages/mailbox-page';
import { ADJUSTMENT_ROLES, BILLING_ROLES, BillingPage, CustomerBillingPage } from './pages/billing-page';

const MODELER_ROLES = ['analyst', 'admin'];

export function StaffApp(props: { session: Session; api: Api }) {
  const { path, query } = useLocation();
  const task = match('/staff/tasks/:taskKey', path);
  const models = props.session.person.roles.some((role) => MODELER_ROLES.includes(role));
  const modeler = path.startsWith('/staff/modeler');
  const searches = props.session.person.roles.some((role) => SEARCH_ROLES.includes(role));
  const search = searches && path.startsWith('/staff/search');
  const operates = props.session.person.roles.some((role) => OPERATIONS_ROLES.includes(role));
  const operations = operates && path.startsWith('/staff/operations');
  const instance = operations ? match('/staff/operations/instances/:key', path) : undefined;
  const contract = searches ? match('/staff/policies/:policyId', path) : null;
  const servesCustomers = props.session.person.roles.some((role) => CUSTOMER_SERVICE_ROLES.includes(role));
  const customer = servesCustomers ? match('/staff/customers/:customerId', path) : null;
  const reads = props.session.person.roles.some((role) => DASHBOARD_ROLES.includes(role));
  const dashboard = reads && path.startsWith('/staff/dashboard');
  const roles = props.session.person.roles;
  const mails = roles.some((role) => MAILBOX_ROLES.includes(role));
  const mailbox = mails && path.startsWith('/staff/mailbox');
  const mail = mailbox ? match('/staff/mailbox/:emailId', path) : null;
  const bills = roles.some((role) => BILLING_ROLES.includes(role));
  const billing = bills && path.startsWith('/staff/billing');
  const customerBilling = billing ? match('/staff/billing/customers/:customerId', path) : null;
  const page = customerBilling ? <CustomerBillingPage api={props.api} customerId={customerBilling.customerId!} requests={roles.some((role) => ADJUSTMENT_ROLES.includes(role))} /> : billing ? <BillingPage api={props.api} username={props.session.person.username} decides={roles.includes('manager')} /> : mail ? <MailPage api={props.api} emailId={mail.emailId!} /> : mailbox ? <MailboxPage api={props.api} /> : dashboard ? <DashboardPage api={props.api} query={query} /> : instance ? <OperationsInstancePage api={props.api} processInstanceKey={instance.key!} /> : operations ? <OperationsPage api={props.api} query={query} /> : search ? <SearchPage api={props.api} query={query} opensCustomers={servesCustomers} bills={bills} /> : customer ? <CustomerPage api={props.api} customerId={customer.customerId!} username={props.session.person.username} agent={roles.some((role) => CUSTOMER_AGENT_ROLES.includes(role))} /> : contract ? <ContractPage api={props.api} policyId={contract.policyId!} edits={roles.some((role) => CONTRACT_EDITOR_ROLES.includes(role))} /> : task ? <TaskPage api={props.api} taskKey={task.taskKey!} username={props.session.person.username} fixesPayments={roles.some((role) => PAYMENT_DETAILS_ROLES.includes(role))} /> : modeler && models ? <LazyModeler api={props.api} /> : <TaskListPage api={props.api} query={query} username={props.session.person.username} />;
  return (
    <Shell
      app="Claims staff"
      home="/staff/"
      session={props.session}
      wide
      nav={[
        { href: '/staff/', label: 'Tasks', current: !task && !modeler && !search && !operations && !contract && !dashboard && !customer && !mailbox && !billing },
        ...(searches ? [{ href: '/staff/search', label: 'Search', current: search || Boolean(contract) || Boolean(customer) }] : []),
        ...(mails ? [{ href: '/staff/mailbox', label: 'Mailbox', current: mailbox }] : []),
        ...(bills ? [{ href: '/staff/billing', label: 'Billing', current: billing }] : []),
        ...(operates ? [{ href: '/staff/operations', label: 'Operations', current: operations }] : []),
        ...(reads ? [{ href: '/staff/dashboard', label: 'Dashboard', current: dashboard }] : []),
        ...(models ? [{ href: '/staff/modeler', label: 'Modeler', current: modeler }] : []),
      ]}
    >
      {page}
    </Shell>
  );
}
