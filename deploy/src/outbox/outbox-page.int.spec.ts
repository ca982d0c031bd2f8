import { createLogger } from '../logger';
import { sendSms, sendTaskMail, TASK_LINK } from '../testing/outbox-messages';
import { Outbox } from './outbox-server';

// The outbox's web view as a newcomer meets it: mail sent through SMTP and an
// SMS sent through the Twilio capture are listed at `/`, newest first; a mail
// opens with its links clickable; nothing a message carries can run or break
// out of the page.

const HOSTILE_SUBJECT = 'Task <script>alert(1)</script> "Assess claim"';

describe('the outbox web view', () => {
  let outbox: Outbox;
  let base: string;

  beforeEach(async () => {
    outbox = new Outbox({ smtpPort: 0, apiPort: 0, logger: createLogger('outbox', { LOG_LEVEL: 'warn' }) });
    await outbox.start();
    base = `http://127.0.0.1:${outbox.apiPort}`;
  });

  afterEach(async () => {
    await outbox.stop();
  });

  it('says so when nothing was sent yet', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('No mail yet.');
    expect(html).toContain('No SMS yet.');
  });

  it('lists mail and SMS newest first, and a mail opens with its task link clickable and its HTML sandboxed', async () => {
    await sendTaskMail(outbox, 'First: claim received');
    await sendTaskMail(outbox);
    await sendSms(outbox, `Your claim is under review: ${TASK_LINK}`);

    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Mail (2)');
    expect(html).toContain('SMS (1)');
    expect(html.indexOf('New task: Assess claim CLM-1')).toBeLessThan(html.indexOf('First: claim received'));
    // The SMS's link is a link, its text escaped.
    expect(html).toContain(`<a href="${TASK_LINK.replace(/&/g, '&amp;')}" target="_blank" rel="noopener">`);

    const newest = outbox.mails[0]!;
    expect(html).toContain(`href="/view/${newest.ID}"`);
    const view = await (await fetch(`${base}/view/${newest.ID}`)).text();
    expect(view).toContain('<h1>New task: Assess claim CLM-1</h1>');
    // The HTML version in a frame that may open links in a new tab, and nothing else.
    const frame = /<iframe[^>]*sandbox="([^"]*)"[^>]*srcdoc="([^"]*)"/.exec(view);
    expect(frame?.[1]).toBe('allow-popups allow-popups-to-escape-sandbox');
    expect(frame?.[2]).toContain('&lt;base target=&quot;_blank&quot;&gt;');
    expect(frame?.[2]).toContain('Open the task');
    // The plain-text version's link is clickable too.
    expect(view).toContain(`<a href="${TASK_LINK.replace(/&/g, '&amp;')}" target="_blank" rel="noopener">`);
  });

  it('escapes what a message carries', async () => {
    await sendTaskMail(outbox, HOSTILE_SUBJECT, { hostile: true });
    await sendSms(outbox, '<img src=x onerror=alert(1)> javascript:alert(1)');
    const html = await (await fetch(`${base}/`)).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Task &lt;script&gt;alert(1)&lt;/script&gt; &quot;Assess claim&quot;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    const view = await (await fetch(`${base}/view/${outbox.mails[0]!.ID}`)).text();
    expect(view).not.toContain('<script>');
    // The mail's markup exists only inside the frame's (escaped) srcdoc attribute.
    expect(view.replace(/srcdoc="[^"]*"/, '')).not.toMatch(/onerror|<img/);
  });

  it('answers an unknown message with a page, not an error', async () => {
    const response = await fetch(`${base}/view/no-such-id`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('No such message');
  });
});
