import Handlebars from 'handlebars';

/**
 * The messages the system sends, each as a subject, a plain-text body (what
 * every mail client shows) and an SMS text where the step warrants one. The
 * HTML version is the text body in one shared layout with a button to the
 * link, so the two never say different things. Handlebars escapes every value
 * in the HTML.
 */
export interface MessageTemplate {
  readonly subject: string;
  readonly text: string;
  readonly sms?: string;
  readonly linkLabel: string;
}

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly sms?: string;
}

const CLIENT_SIGNATURE = '\n\nYour claims team';

export const TEMPLATES: Record<string, MessageTemplate> = {
  'claim-in-review': {
    subject: 'Claim {{reference}}: a claims adjuster is reviewing it',
    text: 'Hello {{name}},\n\nYour request {{reference}} for {{claimed}} is being reviewed by one of our claims adjusters. We will write to you again when there is a decision.' + CLIENT_SIGNATURE,
    linkLabel: 'Follow your claim',
  },
  'claim-investigating': {
    subject: 'Claim {{reference}}: it needs a closer look',
    text: 'Hello {{name}},\n\nYour request {{reference}} needs a closer look before we can decide. This can take a few more days; you do not need to do anything.' + CLIENT_SIGNATURE,
    linkLabel: 'Follow your claim',
  },
  'claim-awaiting-approval': {
    subject: 'Claim {{reference}}: waiting for approval',
    text: 'Hello {{name}},\n\nYour request {{reference}} has been assessed and is waiting for a manager\'s approval before we pay {{payable}}.' + CLIENT_SIGNATURE,
    linkLabel: 'Follow your claim',
  },
  'information-requested': {
    subject: 'Claim {{reference}}: we need more information',
    text: 'Hello {{name}},\n\nTo go on with your request {{reference}} we need more from you:\n\n{{question}}\n\nPlease answer by {{due}}. If we do not hear from you by then, we will close the request.' + CLIENT_SIGNATURE,
    sms: 'Claim {{reference}}: we need more information by {{due}}. Details: {{link}}',
    linkLabel: 'Answer now',
  },
  'claim-abandoned': {
    subject: 'Claim {{reference}} is closed',
    text: 'Hello {{name}},\n\nWe closed your request {{reference}} because the information we asked for did not arrive by {{due}}. You are welcome to file it again with the missing documents.' + CLIENT_SIGNATURE,
    sms: 'Claim {{reference}} is closed: the information we asked for did not arrive in time.',
    linkLabel: 'See your claim',
  },
  'claim-declined': {
    subject: 'Claim {{reference}} has been declined',
    text: 'Hello {{name}},\n\nWe are sorry: we cannot reimburse your request {{reference}}.\n\n{{#each reasons}}- {{this}}\n{{/each}}{{#if note}}\n{{note}}\n{{/if}}\nIf you think this is wrong, reply to this email and a person will look at it again.' + CLIENT_SIGNATURE,
    sms: 'Claim {{reference}} has been declined. The reasons are in your email and at {{link}}',
    linkLabel: 'See the reasons',
  },
  'claim-payment-failed': {
    subject: 'Claim {{reference}}: we could not pay into your account',
    text: 'Hello {{name}},\n\nYour request {{reference}} is approved, but your bank refused the payment of {{payable}}. Our team will call you to check your bank details.' + CLIENT_SIGNATURE,
    sms: 'Claim {{reference}}: your bank refused our payment. We will call you to check your bank details.',
    linkLabel: 'See your claim',
  },
  'claim-paid': {
    subject: 'Claim {{reference}}: {{paid}} is on its way',
    text: 'Hello {{name}},\n\nWe have paid {{paid}} for your request {{reference}} into your account.\n\n{{#each lines}}- {{label}}: claimed {{claimed}}, we pay {{paid}}{{#if note}} ({{note}}){{/if}}\n{{/each}}' + CLIENT_SIGNATURE,
    sms: 'Claim {{reference}}: we have paid {{paid}} into your account.',
    linkLabel: 'See the breakdown',
  },
  'claim-nothing-payable': {
    subject: 'Claim {{reference}}: nothing is payable',
    text: 'Hello {{name}},\n\nWe have assessed your request {{reference}} for {{claimed}}. Under your policy nothing is payable for it, so we have closed it without a payment. Here is why, item by item:\n\n{{#each lines}}- {{label}}: claimed {{claimed}}, we pay {{paid}}.{{#if why}} {{why}}{{/if}}\n{{/each}}\nIf you think this is wrong, reply to this email and a person will look at it again.' + CLIENT_SIGNATURE,
    sms: 'Claim {{reference}}: under your policy nothing is payable for it. Why: {{link}}',
    linkLabel: 'See the breakdown',
  },
  'renewal-offer': {
    subject: 'Policy {{policyNumber}}: your renewal offer',
    text: 'Hello {{name}},\n\nYour {{product}} policy {{policyNumber}} ends on {{termEndsOn}}. We will renew it until {{newEndsOn}} for {{yearly}} a year ({{instalment}} {{frequency}}), priced on the current terms of {{product}}.\n\nYou need do nothing to keep your cover. If you do not want to renew, decline the offer on your policy page before {{termEndsOn}}.' + CLIENT_SIGNATURE,
    linkLabel: 'See your renewal offer',
  },
  'renewal-reminder': {
    subject: 'Policy {{policyNumber}}: renews on {{renewsOn}}',
    text: 'Hello {{name}},\n\nA reminder: your {{product}} policy {{policyNumber}} renews on {{renewsOn}} until {{newEndsOn}}, for {{yearly}} a year ({{instalment}} {{frequency}}). If you do not want to renew, decline the offer on your policy page before {{termEndsOn}}.' + CLIENT_SIGNATURE,
    linkLabel: 'See your renewal offer',
  },
  'policy-renewed': {
    subject: 'Policy {{policyNumber}}: renewed until {{newEndsOn}}',
    text: 'Hello {{name}},\n\nYour {{product}} policy {{policyNumber}} is renewed until {{newEndsOn}}, for {{yearly}} a year ({{instalment}} {{frequency}}).' + CLIENT_SIGNATURE,
    linkLabel: 'See your policy',
  },
  'policy-expired': {
    subject: 'Policy {{policyNumber}}: your cover has ended',
    text: 'Hello {{name}},\n\nAs you asked, we did not renew your {{product}} policy {{policyNumber}}. It covered care up to {{termEndsOn}}; care after that day is not covered. Claims for care before then can still be sent.' + CLIENT_SIGNATURE,
    linkLabel: 'See your policy',
  },
  // Premium collection (bpmn/premium-collection.bpmn): the client is told what failed, what to do and the date their cover is at risk.
  'premium-payment-failed': {
    subject: 'Invoice {{invoiceNumber}}: your payment of {{amount}} failed',
    text: 'Hello {{name}},\n\nWe could not collect {{amount}} for invoice {{invoiceNumber}} of your policy {{policyNumber}}, due on {{dueOn}}. {{reason}}\n\nPlease pay with "Pay now" on the invoice page, or change your payment method there. If it is not paid by {{graceEndsOn}}, your policy lapses on {{lapsesOn}}: care from that day is not covered.' + CLIENT_SIGNATURE,
    sms: 'Invoice {{invoiceNumber}}: your payment of {{amount}} failed. Pay by {{graceEndsOn}} to keep your cover: {{link}}',
    linkLabel: 'Pay now',
  },
  'premium-last-reminder': {
    subject: 'Invoice {{invoiceNumber}}: last reminder, your cover lapses on {{lapsesOn}}',
    text: 'Hello {{name}},\n\nInvoice {{invoiceNumber}} of your policy {{policyNumber}} ({{amount}}, due on {{dueOn}}) is still unpaid. {{reason}}\n\nPlease pay by {{graceEndsOn}} with "Pay now" on the invoice page. If it is still unpaid, your policy lapses on {{lapsesOn}} and care from that day is not covered.' + CLIENT_SIGNATURE,
    sms: 'Last reminder: invoice {{invoiceNumber}} ({{amount}}) is unpaid. Pay by {{graceEndsOn}} or your cover lapses on {{lapsesOn}}: {{link}}',
    linkLabel: 'Pay now',
  },
  'premium-policy-lapsed': {
    subject: 'Policy {{policyNumber}}: your cover has lapsed',
    text: 'Hello {{name}},\n\nInvoice {{invoiceNumber}} ({{amount}}) is still unpaid, so your policy {{policyNumber}} lapsed on {{lapsesOn}}: care from that day is not covered. Pay what is due by {{reinstatableUntil}} and we reinstate your cover from the day you pay; after that day the policy stays lapsed.' + CLIENT_SIGNATURE,
    sms: 'Policy {{policyNumber}} has lapsed for non-payment. Pay {{amount}} by {{reinstatableUntil}} to restore your cover: {{link}}',
    linkLabel: 'Pay now',
  },
  'premium-policy-reinstated': {
    subject: 'Policy {{policyNumber}}: your cover is back',
    text: 'Hello {{name}},\n\nThank you: invoice {{invoiceNumber}} is paid and your policy {{policyNumber}} covers care again from {{reinstatedOn}}. Care between {{lapsesOn}} and the day before stays uncovered.' + CLIENT_SIGNATURE,
    sms: 'Policy {{policyNumber}}: paid, your cover is back from {{reinstatedOn}}.',
    linkLabel: 'See your policy',
  },
  'premium-written-off': {
    subject: 'Policy {{policyNumber}}: invoice {{invoiceNumber}} closed unpaid',
    text: 'Hello {{name}},\n\nInvoice {{invoiceNumber}} ({{amount}}) was not paid by {{reinstatableUntil}}, so your policy {{policyNumber}} stays lapsed from {{lapsesOn}}. Please contact us if you want cover again.' + CLIENT_SIGNATURE,
    linkLabel: 'See your policy',
  },
  // A new client's application (bpmn/policy-application.bpmn): the applicant may have no customer record yet, so these go to the address they applied with.
  'application-information-requested': {
    subject: 'Application {{reference}}: we need {{#if exam}}a medical exam{{else}}more information{{/if}}',
    text: 'Hello {{name}},\n\nTo decide on your application {{reference}} for {{product}}, our underwriter asks:\n\n{{question}}\n\nPlease answer on your application page by {{due}}.' + CLIENT_SIGNATURE,
    linkLabel: 'Answer on your application',
  },
  'application-offered': {
    subject: 'Application {{reference}}: your offer for {{product}}',
    text: 'Hello {{name}},\n\nWe can insure you under {{product}} from {{startsOn}} for {{yearly}} a year. The offer is valid until {{validUntil}}: accept it on your application page before then and we will issue your policy.' + CLIENT_SIGNATURE,
    linkLabel: 'See and accept your offer',
  },
  'application-declined': {
    subject: 'Application {{reference}}: we cannot offer {{product}}',
    text: 'Hello {{name}},\n\nWe are sorry: we cannot offer you {{product}} on your application {{reference}}.{{#if reasons.length}} Why:\n\n{{#each reasons}}- {{this}}\n{{/each}}{{/if}}\nIf you think this is wrong, reply to this email and a person will look at it again.' + CLIENT_SIGNATURE,
    linkLabel: 'See your application',
  },
  'application-policy-issued': {
    subject: 'Policy {{policyNumber}}: you are insured',
    text: 'Hello {{name}},\n\nYour {{product}} policy {{policyNumber}} is issued, from {{startsOn}}. Its schedule is in your documents on the extranet, where you can also send claims on it.' + CLIENT_SIGNATURE,
    linkLabel: 'See your policy',
  },
  'task-created': {
    subject: '{{taskName}}: claim {{reference}}',
    text: 'A task is waiting for the {{group}} team: {{taskName}} for claim {{reference}}{{#if due}}, due {{due}}{{/if}}.',
    linkLabel: 'Open the task',
  },
  'follow-up-task-created': {
    subject: '{{taskName}}: {{customerName}}',
    text: 'A task is waiting for the {{group}} team: {{taskName}} for {{customerName}}{{#if due}}, due {{due}}{{/if}}. The customer\'s page in the staff app has the call it was promised in.',
    linkLabel: 'Open the task',
  },
  'assessment-overdue': {
    subject: 'Overdue: assessment of claim {{reference}}',
    text: 'The assessment of claim {{reference}} was due {{due}} and is still open{{#if assignee}} (with {{assignee}}){{/if}}. It is now open to managers too, at high priority.',
    linkLabel: 'Open the task',
  },
};

const LAYOUT = Handlebars.compile(
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{subject}}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1d2430">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
{{#each paragraphs}}<p style="margin:0 0 14px;line-height:1.5">{{#each lines}}{{this}}{{#unless @last}}<br>{{/unless}}{{/each}}</p>
{{/each}}<p style="margin:24px 0 0"><a href="{{link}}" style="display:inline-block;background:#0b5cad;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">{{linkLabel}}</a></p>
</div></body></html>`,
);

const compiled = new Map<string, { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate; sms?: HandlebarsTemplateDelegate }>();

/** Renders a template; values are plain text (the text and SMS bodies are not HTML, so they are not escaped). */
export function renderMessage(templateId: string, values: Record<string, unknown> & { link: string }): RenderedMessage {
  const template = TEMPLATES[templateId];
  if (!template) throw new Error(`No message template "${templateId}".`);
  let parts = compiled.get(templateId);
  if (!parts) {
    const plain = { noEscape: true, strict: true };
    parts = { subject: Handlebars.compile(template.subject, plain), text: Handlebars.compile(template.text, plain), sms: template.sms ? Handlebars.compile(template.sms, plain) : undefined };
    compiled.set(templateId, parts);
  }
  const subject = parts.subject(values);
  const text = `${parts.text(values)}\n\n${template.linkLabel}: ${values.link}\n`;
  const paragraphs = parts
    .text(values)
    .split(/\n{2,}/)
    .map((block) => ({ lines: block.split('\n') }));
  const html = LAYOUT({ subject, paragraphs, link: values.link, linkLabel: template.linkLabel });
  return { subject, text, html, sms: parts.sms?.(values) };
}
