import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import './common/base.css';
import './portal.css';
import { render } from 'preact';
import { Api } from './common/api';
import { Session } from './common/auth';
import { PortalApp } from './portal-app';
import { SurveyPage } from './survey/survey-page';

/** The clients' extranet: sign in first, then the app. */
async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  // The satisfaction survey is answered without signing in: its signed link is the credential.
  if (location.pathname === '/survey') {
    root.replaceChildren();
    render(<SurveyPage />, root);
    return;
  }
  try {
    const session = await Session.start('/');
    // The page's "Loading…" placeholder goes: Preact renders beside existing children, not over them.
    root.replaceChildren();
    render(<PortalApp session={session} api={new Api(session)} />, root);
  } catch (error) {
    root.innerHTML = '';
    const message = document.createElement('p');
    message.className = 'error';
    message.setAttribute('role', 'alert');
    message.textContent = `Signing in failed: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`;
    root.append(message);
  }
}

void start();
