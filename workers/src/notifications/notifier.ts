import { type Logger } from 'pino';
import { type PortalClient } from '../portal/portal-client';
import { type WorkerSettings } from '../settings';
import { type MailChannel, type SmsChannel } from './channels';
import { renderMessage } from './templates';

export type Channel = 'email' | 'sms';

/** The portal's `applicant-notice`: the address applied with, the policyholder's name, and the client's view of the application. */
export interface ApplicationNotice {
  readonly email: string;
  readonly name: string;
  readonly application: {
    readonly reference: string;
    readonly product: { readonly name: string };
    readonly startsOn: string;
    readonly currency: string;
    readonly yearlyPremiumCents: number;
    /** In words, for the client: never codes or staff notes. */
    readonly declineReasons: readonly string[];
    /** The underwriter's question while the client is asked (kept by the portal, never a process variable). */
    readonly informationRequest: { readonly question: string } | null;
  };
}

/**
 * Sends a message at most once per dedup key: a retried job, or a job handed
 * out again after a timeout, finds the portal's record and sends nothing.
 * (A worker that dies between sending and recording sends again once:
 * at-least-once, as any SMTP hand-off is.)
 */
export class Notifier {
  constructor(
    private readonly portal: PortalClient,
    private readonly mail: MailChannel,
    private readonly sms: SmsChannel,
    private readonly settings: WorkerSettings,
    private readonly logger: Logger,
  ) {}

  claimLink(claimId: string): string {
    return `${this.settings.portalPublicUrl}/claims/${encodeURIComponent(claimId)}`;
  }

  taskLink(userTaskKey: string): string {
    return `${this.settings.portalPublicUrl}/staff/tasks/${encodeURIComponent(userTaskKey)}`;
  }

  /** Tells a client about their claim on the channels asked for (SMS only where the template has one and the client a phone). */
  async toClient(input: { dedupKey: string; claimId: string; customerId: string; template: string; channels: readonly Channel[]; values: Record<string, unknown> }): Promise<void> {
    const contact = await this.portal.contact(input.customerId);
    const message = renderMessage(input.template, { ...input.values, name: contact.fullName, link: this.claimLink(input.claimId) });
    if (input.channels.includes('email')) {
      await this.once(`${input.dedupKey}:email`, async () => ({
        channel: 'email' as const,
        recipient: contact.email,
        subject: message.subject,
        providerMessageId: await this.mail.send({ to: contact.email, subject: message.subject, text: message.text, html: message.html, headers: { 'X-Claim-Id': input.claimId } }),
      }), { claimId: input.claimId, template: input.template });
    }
    if (input.channels.includes('sms') && message.sms && contact.phone) {
      const phone = contact.phone;
      const body = message.sms;
      await this.once(`${input.dedupKey}:sms`, async () => ({ channel: 'sms' as const, recipient: phone, providerMessageId: await this.sms.send(phone, body) }), { claimId: input.claimId, template: input.template });
    }
  }

  /** The client's policy on the extranet. */
  policyLink(policyId: string): string {
    return `${this.settings.portalPublicUrl}/policies/${encodeURIComponent(policyId)}`;
  }

  /**
   * Emails a client about their policy (not a claim), once per dedup key, and
   * texts them too where the template has an SMS and they gave a phone (the
   * payment reminders do: a missed premium risks their cover).
   */
  async toPolicyholder(input: { dedupKey: string; policyId: string; customerId: string; template: string; values: Record<string, unknown>; link?: string }): Promise<void> {
    const contact = await this.portal.contact(input.customerId);
    const message = renderMessage(input.template, { ...input.values, name: contact.fullName, link: input.link ?? this.policyLink(input.policyId) });
    await this.once(`${input.dedupKey}:email`, async () => ({
      channel: 'email' as const,
      recipient: contact.email,
      subject: message.subject,
      providerMessageId: await this.mail.send({ to: contact.email, subject: message.subject, text: message.text, html: message.html, headers: { 'X-Policy-Id': input.policyId } }),
    }), { template: input.template });
    if (message.sms && contact.phone) {
      const phone = contact.phone;
      const body = message.sms;
      await this.once(`${input.dedupKey}:sms`, async () => ({ channel: 'sms' as const, recipient: phone, providerMessageId: await this.sms.send(phone, body) }), { template: input.template });
    }
  }

  /** The client's invoice on the extranet. */
  invoiceLink(invoiceId: string): string {
    return `${this.settings.portalPublicUrl}/invoices/${encodeURIComponent(invoiceId)}`;
  }

  /** The client's application on the extranet. */
  applicationLink(applicationId: string): string {
    return `${this.settings.portalPublicUrl}/applications/${encodeURIComponent(applicationId)}`;
  }

  /**
   * Emails an applicant about their policy application, once per dedup key.
   * A new client has no customer record yet: the portal gives the address
   * they applied with (`/internal/applications/{id}/applicant-notice`).
   */
  async toApplicant(input: { dedupKey: string; applicationId: string; template: string; values: (application: ApplicationNotice['application']) => Record<string, unknown>; link?: string }): Promise<void> {
    const notice = await this.portal.application<ApplicationNotice>('GET', input.applicationId, 'applicant-notice');
    const message = renderMessage(input.template, { ...input.values(notice.application), name: notice.name, link: input.link ?? this.applicationLink(input.applicationId) });
    await this.once(`${input.dedupKey}:email`, async () => ({
      channel: 'email' as const,
      recipient: notice.email,
      subject: message.subject,
      providerMessageId: await this.mail.send({ to: notice.email, subject: message.subject, text: message.text, html: message.html, headers: { 'X-Application-Id': input.applicationId } }),
    }), { template: input.template });
  }

  /** Emails a team's mailbox about a task, with the link that opens it. */
  /** The customer's name, for a staff message about them (a follow-up task). */
  async customerName(customerId: string): Promise<string> {
    return (await this.portal.contact(customerId)).fullName;
  }

  async toStaff(input: { dedupKey: string; claimId?: string; group: string; userTaskKey: string; template: string; values: Record<string, unknown> }): Promise<void> {
    const to = this.settings.staffMailbox(input.group);
    const message = renderMessage(input.template, { ...input.values, group: input.group, link: this.taskLink(input.userTaskKey) });
    await this.once(input.dedupKey, async () => ({
      channel: 'email' as const,
      recipient: to,
      subject: message.subject,
      providerMessageId: await this.mail.send({ to, subject: message.subject, text: message.text, html: message.html, headers: { 'X-Task-Key': input.userTaskKey } }),
    }), { claimId: input.claimId, template: input.template });
  }

  private async once(dedupKey: string, send: () => Promise<{ channel: Channel; recipient: string; subject?: string; providerMessageId: string }>, about: { claimId?: string; template: string }): Promise<void> {
    if ((await this.portal.notificationSent(dedupKey)).sent) {
      this.logger.debug({ dedupKey }, 'notification already sent');
      return;
    }
    const sent = await send();
    await this.portal.recordNotification({ dedupKey, ...about, ...sent });
    this.logger.info({ dedupKey, channel: sent.channel, template: about.template, claimId: about.claimId }, 'notification sent');
  }
}
