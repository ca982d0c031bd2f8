/**
 * The messages the portal itself sends clients, after a staff action that the
 * client must hear about from us. Same shape and look as the workers' messages
 * (workers/src/notifications/templates.ts): a plain-text body and the same
 * text in a simple HTML layout with a button to the link.
 */
interface NoticeTemplate {
  readonly subject: (values: Record<string, string>) => string;
  readonly text: (values: Record<string, string>) => string;
  readonly linkLabel: string;
}

const SIGNATURE = '\n\nYour claims team';

export const CLIENT_NOTICE_TEMPLATES = {
  'payment-details-changed': {
    subject: () => 'Your bank details were changed',
    text: (v) =>
      `Hello ${v.name},\n\nOur claims team changed the bank account we pay your reimbursements into, on ${v.changedOn}, while handling your claim ${v.claimReference}.\n` +
      `Your reimbursements now go to the account ending in ${v.accountEnding}.\n\n` +
      'If you did not ask for this change, contact us straight away.' +
      SIGNATURE,
    linkLabel: 'See your claim',
  },
  'claim-filed-by-phone': {
    subject: (v) => `We filed your claim ${v.claimReference}`,
    text: (v) =>
      `Hello ${v.name},\n\nAs agreed on the phone on ${v.filedOn}, we filed your reimbursement request ${v.claimReference} for ${v.totalClaimed}.\n` +
      'You can follow it and send us your receipts in your client area.\n\n' +
      'If you did not call us about this, contact us straight away.' +
      SIGNATURE,
    linkLabel: 'See your claim',
  },
  'claim-draft-by-email': {
    subject: (v) => `We received your receipts: claim ${v.claimReference} is ready for you to complete`,
    text: (v) =>
      `Hello ${v.name},\n\nThank you for your email. We kept the ${v.documents} document(s) you sent as receipts of a new request, ${v.claimReference}.\n` +
      'It is not sent yet: add what the care was, when and how much you paid, then send it from your account.' +
      SIGNATURE,
    linkLabel: 'Complete your request',
  },
  'documents-added-by-email': {
    subject: (v) => `Your documents were added to claim ${v.claimReference}`,
    text: (v) => `Hello ${v.name},\n\nThank you for your email. We added the ${v.documents} document(s) you sent to your claim ${v.claimReference}.` + SIGNATURE,
    linkLabel: 'See your claim',
  },
  'satisfaction-survey': {
    subject: (v) => `How did we do with claim ${v.claimReference}?`,
    text: (v) =>
      `Hello ${v.name},\n\nYour claim ${v.claimReference} is closed. Would you tell us how we handled it? One score from 1 to 5 and, if you like, a comment.\n` +
      `The link works once, until ${v.expiresOn}.` +
      SIGNATURE,
    linkLabel: 'Answer the survey',
  },
} satisfies Record<string, NoticeTemplate>;

export type ClientNoticeTemplate = keyof typeof CLIENT_NOTICE_TEMPLATES;

export function isNoticeTemplate(name: string): name is ClientNoticeTemplate {
  return Object.hasOwn(CLIENT_NOTICE_TEMPLATES, name);
}

export interface RenderedNotice {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function renderNotice(template: ClientNoticeTemplate, values: Record<string, string>, link: string): RenderedNotice {
  const chosen: NoticeTemplate = CLIENT_NOTICE_TEMPLATES[template];
  const subject = chosen.subject(values);
  const body = chosen.text(values);
  const paragraphs = body
    .split(/\n{2,}/)
    .map((block) => `<p style="margin:0 0 14px;line-height:1.5">${block.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1d2430">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
${paragraphs}
<p style="margin:24px 0 0"><a href="${escapeHtml(link)}" style="display:inline-block;background:#0b5cad;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(chosen.linkLabel)}</a></p>
</div></body></html>`;
  return { subject, text: `${body}\n\n${chosen.linkLabel}: ${link}\n`, html };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
