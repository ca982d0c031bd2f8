import nodemailer from 'nodemailer';
import { type Outbox } from '../outbox/outbox-server';

/** A staff task link as the notification emails carry it (a query string, so `&` must survive escaping). */
export const TASK_LINK = 'http://localhost:3000/staff/tasks/2251799813685292?from=email&kind=assess';

/**
 * A task email as the workers send it, through the outbox's SMTP port; a
 * hostile one's HTML also tries a script and an onerror handler.
 */
export async function sendTaskMail(outbox: Outbox, subject = 'New task: Assess claim CLM-1', options: { hostile?: boolean } = {}): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: outbox.smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({
      from: 'Claims <claims@claims.example>',
      to: 'adjuster@claims.example',
      subject,
      text: `A claim waits for you.\nOpen the task: ${TASK_LINK}\n`,
      html: `<p>A claim waits for you.</p><p><a href="${TASK_LINK.replace(/&/g, '&amp;')}">Open the task</a></p>${options.hostile ? `<script>parent.document.title = 'pwned'</script><img src="x" onerror="parent.document.title='pwned'">` : ''}`,
    });
  } finally {
    transport.close();
  }
}

/** An SMS through the outbox's Twilio capture, as the official client sends it. */
export async function sendSms(outbox: Outbox, body: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${outbox.apiPort}/twilio/2010-04-01/Accounts/ACtest/Messages.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ To: '+31612345678', From: '+15005550006', Body: body }).toString(),
  });
  if (response.status !== 201) throw new Error(`the SMS capture answered ${response.status}: ${await response.text()}`);
}
