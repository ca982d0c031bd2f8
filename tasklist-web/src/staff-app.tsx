import { type Api } from '@claims/portal-web/common/api';
import { type Session } from '@claims/portal-web/common/auth';
import { match, useLocation } from '@claims/portal-web/common/router';
import { Shell } from '@claims/portal-web/common/ui';
import { LazyModeler } from './modeler/lazy-modeler';
import { TaskListPage } from './pages/task-list-page';
import { TaskPage } from './pages/task-page';
import { PAYMENT_DETAILS_ROLES } from './payment-details-form';
import { SEARCH_ROLES, SearchPage } from './pages/search-page';
import { DASHBOARD_ROLES, DashboardPage } from './pages/dashboard-page';

const MODELER_ROLES = ['analyst', 'admin'];

export function StaffApp(props: { session: Session; api: Api }) {
  const { path, query } = useLocation();
  const task = match('/staff/tasks/:taskKey', path);
  const models = props.session.person.roles.some((role) => MODELER_ROLES.includes(role));
  const modeler = path.startsWith('/staff/modeler');
  const searches = props.session.person.roles.some((role) => SEARCH_ROLES.includes(role));
  const search = searches && path.startsWith('/staff/search');
  const reads = props.session.person.roles.some((role) => DASHBOARD_ROLES.includes(role));
  const dashboard = reads && path.startsWith('/staff/dashboard');
  const page = dashboard ? <DashboardPage api={props.api} query={query} /> : search ? <SearchPage api={props.api} query={query} /> : task ? <TaskPage api={props.api} taskKey={task.taskKey!} username={props.session.person.username} fixesPayments={props.session.person.roles.some((role) => PAYMENT_DETAILS_ROLES.includes(role))} /> : modeler && models ? <LazyModeler api={props.api} /> : <TaskListPage api={props.api} query={query} username={props.session.person.username} />;
  return (
    <Shell
      app="Claims staff"
      home="/staff/"
      session={props.session}
      wide
      nav={[
        { href: '/staff/', label: 'Tasks', current: !task && !modeler && !search && !dashboard },
        ...(searches ? [{ href: '/staff/search', label: 'Search', current: search }] : []),
        ...(reads ? [{ href: '/staff/dashboard', label: 'Dashboard', current: dashboard }] : []),
        ...(models ? [{ href: '/staff/modeler', label: 'Modeler', current: modeler }] : []),
      ]}
    >
      {page}
    </Shell>
  );
}
