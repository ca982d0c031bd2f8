import { type StoredMail, type StoredSms } from './outbox-server';

/**
 * The outbox's web view: the mail and SMS the system sent, newest first, for
 * a person trying the system (open a task from its email, follow a client's
 * notifications). Server-rendered, no script. Everything a message carries is
 * escaped; an HTML mail is shown in a sandboxed frame (no scripts, no forms,
 * its links open in a new tab) under a policy that loads nothing from
 * elsewhere, so a hostile message can neither run nor call home.
 */

/** The Content-Security-Policy of every page here; a mail's frame inherits it. */
export const OUTBOX_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function renderOutboxPage(mails: readonly StoredMail[], sms: readonly StoredSms[]): string {
  const mailRows = mails.map(
    (mail) => `<li><a class="row" href="/view/${encodeURIComponent(mail.ID)}">
      <span class="when">${escapeHtml(timeOf(mail.Created))}</span>
      <span class="who">To ${escapeHtml(mail.To.map((a) => a.Address).join(', '))}</span>
      <span class="subject">${escapeHtml(mail.Subject || '(no subject)')}</span>
      <span class="snippet">${escapeHtml(mail.Text.replace(/\s+/g, ' ').slice(0, 140))}</span>
    </a></li>`,
  );
  const smsRows = sms.map(
    (message) => `<li class="row sms">
      <span class="when">${escapeHtml(timeOf(message.date_created))}</span>
      <span class="who">To ${escapeHtml(message.to)}</span>
      <span class="text">${linkify(message.body)}</span>
    </li>`,
  );
  return page(
    'Outbox',
    `<header><h1>Outbox</h1><p>Mail and SMS the system sent. They are kept here, never delivered. <a href="/">Refresh</a></p></header>
    <section aria-labelledby="mail-heading">
      <h2 id="mail-heading">Mail (${mails.length})</h2>
      ${mailRows.length > 0 ? `<ul class="list">${mailRows.join('\n')}</ul>` : '<p class="empty">No mail yet.</p>'}
    </section>
    <section aria-labelledby="sms-heading">
      <h2 id="sms-heading">SMS (${sms.length})</h2>
      ${smsRows.length > 0 ? `<ul class="list">${smsRows.join('\n')}</ul>` : '<p class="empty">No SMS yet.</p>'}
    </section>`,
  );
}

export function renderMessagePage(mail: StoredMail): string {
  const body = mail.HTML
    ? // No allow-scripts, allow-forms or allow-same-origin: the mail is inert and cannot reach this page.
      `<iframe title="The message as sent" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(framedHtml(mail.HTML))}"></iframe>
      ${mail.Text ? `<details><summary>Plain-text version</summary><pre>${linkify(mail.Text)}</pre></details>` : ''}`
    : `<pre>${linkify(mail.Text)}</pre>`;
  return page(
    mail.Subject || '(no subject)',
    `<p><a href="/">← All messages</a></p>
    <h1>${escapeHtml(mail.Subject || '(no subject)')}</h1>
    <dl>
      <dt>From</dt><dd>${escapeHtml(formatAddress(mail.From))}</dd>
      <dt>To</dt><dd>${escapeHtml(mail.To.map(formatAddress).join(', '))}</dd>
      <dt>Sent</dt><dd>${escapeHtml(timeOf(mail.Created))}</dd>
    </dl>
    ${body}`,
  );
}

export function renderNotFoundPage(): string {
  return page('Not found', '<p><a href="/">← All messages</a></p><h1>No such message</h1><p>The outbox keeps messages in memory: a restart empties it.</p>');
}

/** The mail's own HTML with its links opening in a new tab (the frame may not navigate itself away). */
function framedHtml(html: string): string {
  return `<!doctype html><base target="_blank">${html}`;
}

/** Escaped text with its web addresses as links. */
function linkify(text: string): string {
  const escaped = escapeHtml(text);
  return escaped.replace(/\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g, (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatAddress(address: { Name: string; Address: string }): string {
  return address.Name ? `${address.Name} <${address.Address}>` : address.Address;
}

function timeOf(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Claims outbox</title>
<link rel="icon" href="data:,">
<style>
  body { font: 16px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1b1b1b; }
  h1 { font-size: 1.5rem; margin: .5rem 0; overflow-wrap: anywhere; }
  h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
  a { color: #0b57d0; }
  .list { list-style: none; margin: 0; padding: 0; border-top: 1px solid #ddd; }
  .row { display: grid; grid-template-columns: 11rem 1fr; gap: .1rem 1rem; padding: .6rem .25rem; border-bottom: 1px solid #ddd; text-decoration: none; color: inherit; }
  a.row:hover, a.row:focus { background: #f1f5fd; }
  .when { color: #555; font-size: .85rem; }
  .who { color: #555; font-size: .9rem; overflow-wrap: anywhere; }
  .subject { grid-column: 2; font-weight: 600; color: #0b57d0; overflow-wrap: anywhere; }
  .snippet, .text { grid-column: 2; overflow-wrap: anywhere; }
  .snippet { color: #444; font-size: .9rem; }
  .empty { color: #555; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
  dt { color: #555; }
  dd { margin: 0; overflow-wrap: anywhere; }
  iframe { width: 100%; height: 70vh; border: 1px solid #ccc; border-radius: 4px; background: #fff; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; background: #f7f7f7; padding: .75rem; border-radius: 4px; }
  @media (max-width: 40rem) {
    .row { grid-template-columns: 1fr; }
    .subject, .snippet, .text { grid-column: 1; }
  }
</style>
</head>
<body>
${content}
</body>
</html>
`;
}
