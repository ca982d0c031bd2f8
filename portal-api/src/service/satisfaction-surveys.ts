import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { TASK_TEAMS } from '../dashboards/service-levels';
import { Problem } from '../http/problem';
import { ClientMailer } from '../notifications/client-mailer';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { signSurveyLink, verifySurveyLink } from './survey-links';

const SWEEP_EVERY_MS = 30_000;
/** Claims closed longer ago than this when the sweep first sees them are not surveyed (an old database meeting the feature). */
const SURVEY_CLOSED_WITHIN = '7 days';
/** Statuses after which the client is asked: the claim was decided. An abandoned draft is not. */
export const SURVEYED_STATUSES = ['paid', 'closed-nothing-payable', 'rejected'] as const;

/**
 * The satisfaction survey after a claim closes. A sweep finds claims newly
 * in a decided status and makes one survey each (unique per claim, so two
 * API instances or a repeated sweep make one), naming the staff member who
 * completed its last task (the agent its score counts for) and their team,
 * and in the same transaction queues the client's email with a signed link
 * to the extranet's survey page. Answering is one conditional UPDATE: the
 * first answer wins, a second is refused.
 */
@Injectable()
export class SatisfactionSurveys implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private key: Uint8Array | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: ClientMailer,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'satisfaction survey sweep failed')), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** Makes the surveys owed (one sweep at a time); how many were made. */
  sweep(): Promise<number> {
    this.sweeping ??= this.makeSurveys().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async makeSurveys(): Promise<number> {
    const due = await this.dataSource.query<{ id: string }[]>(
      `SELECT c.id FROM claim c WHERE c.status = ANY($1) AND c.updated_at > now() - $2::interval
          AND NOT EXISTS (SELECT 1 FROM satisfaction_survey s WHERE s.claim_id = c.id) ORDER BY c.updated_at LIMIT 100`,
      [SURVEYED_STATUSES, SURVEY_CLOSED_WITHIN],
    );
    const key = await this.signingKey();
    let made = 0;
    for (const { id: claimId } of due) {
      const noticeId = await this.dataSource.transaction(async (manager) => {
        const [agent] = await manager.query<{ actor_name: string; element_id: string }[]>(
          `SELECT actor_name, audit_details->>'elementId' AS element_id FROM user_task_command WHERE claim_id = $1 AND kind = 'complete' AND state = 'done' ORDER BY settled_at DESC LIMIT 1`,
          [claimId],
        );
        const [survey] = await manager.query<{ id: string; customer_id: string; expires_at: Date; reference: string }[]>(
          `INSERT INTO satisfaction_survey (claim_id, customer_id, agent, team, expires_at)
           SELECT c.id, c.customer_id, $2, $3, now() + make_interval(days => $4) FROM claim c WHERE c.id = $1
           ON CONFLICT (claim_id) DO NOTHING RETURNING id, customer_id, expires_at, (SELECT reference FROM claim WHERE id = $1) AS reference`,
          [claimId, agent?.actor_name ?? null, agent ? (TASK_TEAMS[agent.element_id] ?? null) : null, this.settings.survey.linkDays],
        );
        if (!survey) return undefined;
        const token = await signSurveyLink(key, survey.id, survey.expires_at);
        return this.mailer.queue(manager, {
          customerId: survey.customer_id,
          claimId,
          template: 'satisfaction-survey',
          values: { claimReference: survey.reference, expiresOn: survey.expires_at.toISOString().slice(0, 10), link: `${this.settings.publicUrl}/survey#token=${token}` },
        });
      });
      if (noticeId) {
        made += 1;
        await this.mailer.deliver(noticeId);
      }
    }
    if (made > 0) this.logger.info({ surveys: made }, 'satisfaction surveys sent');
    return made;
  }

  /** What the survey page shows before the client answers. */
  async lookup(token: string) {
    const survey = await this.surveyOf(token);
    return { claimReference: survey.reference, answered: survey.answered_at !== null, expiresAt: survey.expires_at.toISOString() };
  }

  /** The client's answer, taken once. */
  async answer(token: string, score: number, comment: string | undefined) {
    const survey = await this.surveyOf(token);
    // An UPDATE answers [rows, count] through TypeORM; the count says whether this answer was the one taken.
    const [, taken] = await this.dataSource.query<[unknown[], number]>(
      'UPDATE satisfaction_survey SET answered_at = now(), score = $2, comment = $3 WHERE id = $1 AND answered_at IS NULL AND expires_at > now()',
      [survey.id, score, comment?.trim() || null],
    );
    if (taken !== 1) {
      const [now] = await this.dataSource.query<{ answered_at: Date | null }[]>('SELECT answered_at FROM satisfaction_survey WHERE id = $1', [survey.id]);
      if (now?.answered_at) throw Problem.conflict('This survey was already answered; each link works once. Thank you for your answer.');
      throw new Problem(410, 'Gone', 'This survey link has expired. Thank you all the same.');
    }
    this.logger.info({ surveyId: survey.id, score }, 'satisfaction survey answered');
    return { claimReference: survey.reference, score, answered: true };
  }

  private async surveyOf(token: string) {
    const surveyId = await verifySurveyLink(await this.signingKey(), token);
    const [survey] = await this.dataSource.query<{ id: string; reference: string; answered_at: Date | null; expires_at: Date }[]>(
      'SELECT s.id, c.reference, s.answered_at, s.expires_at FROM satisfaction_survey s JOIN claim c ON c.id = s.claim_id WHERE s.id = $1',
      [surveyId],
    );
    // Signed by us, yet no such survey: only a database reset does that; the link is no longer valid.
    if (!survey) throw new Problem(403, 'Forbidden', 'This survey link is not valid. Use the link from your email as it is.');
    return survey;
  }

  /** The HMAC key: the setting's, or the one the database was given when the survey table was made. */
  private async signingKey(): Promise<Uint8Array> {
    if (this.key) return this.key;
    const secret = this.settings.survey.linkSecret ?? (await this.dataSource.query<{ value: string }[]>(`SELECT value FROM service_secret WHERE name = 'survey-link'`))[0]!.value;
    this.key = new TextEncoder().encode(secret);
    return this.key;
  }
}
