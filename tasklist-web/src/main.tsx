import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@claims/portal-web/common/base.css';
import './staff.css';
import { render } from 'preact';
import { Api } from '@claims/portal-web/common/api';
import { Session } from '@claims/portal-web/common/auth';
import { StaffApp } from './staff-app';

/** The staff app under /staff: sign in first (a task link from an email comes back to its task). */
async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    const session = await Session.start('/staff/');
    // The page's "Loading…" placeholder goes: Preact renders beside existing children, not over them.
    root.replaceChildren();
    render(<StaffApp session={session} api={new Api(session)} />, root);
  } catch (error) {
    root.textContent = `Signing in failed: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`;
    root.className = 'error';
  }
}

void start();
