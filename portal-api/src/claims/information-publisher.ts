import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { EngineClient } from '../engine/engine-client';
import { LOGGER } from '../tokens';
import { ClaimInformationAnswer } from './claim-information-answer.entity';
import { RetrySweep } from './retry-sweep';

/** The message the claim process waits on after asking for information; correlation key the claim id. */
export const INFORMATION_PROVIDED_MESSAGE = 'claim-information-provided';
const RETRY_EVERY_MS = 15_000;
/** The engine refuses a second message with the same id for this long: longer than any sweep's retry. */
const MESSAGE_TTL_MS = 3_600_000;

/**
 * Tells the waiting claim process about a client's answer, after the answer
 * is committed (no transaction is held across the engine call). The message
 * id is the answer's id, so a repeat (a lost answer, the sweep, a second API
 * instance) is refused by the engine (409, taken as "already sent") rather
 * than delivered twice. An answer whose message did not get through (engine
 * down) keeps `published_at` null and the sweep publishes it again, the same
 * pattern as ProcessStarter's submissions.
 */
@Injectable()
export class InformationPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly retries: RetrySweep;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.retries = new RetrySweep('information publication', RETRY_EVERY_MS, () => this.publishWaiting(), logger);
  }

  onApplicationBootstrap(): void {
    this.retries.start();
  }

  onApplicationShutdown(): void {
    this.retries.stop();
  }

  /** Publishes the answer unless the engine has it already; true when it has (now or before). */
  async publish(answerId: string): Promise<boolean> {
    const answer = await this.dataSource.getRepository(ClaimInformationAnswer).findOne({ where: { id: answerId } });
    if (!answer || answer.publishedAt !== null) return true;
    try {
      await this.engine.call('POST', '/v2/messages/publication', {
        name: INFORMATION_PROVIDED_MESSAGE,
        correlationKey: answer.claimId,
        messageId: `${answer.claimId}:information:${answer.id}`,
        timeToLive: MESSAGE_TTL_MS,
        // The next assessment reads the question and the client's answer (the assess-claim form shows them).
        variables: { informationProvided: true, providedDocumentIds: answer.documentIds, informationQuestion: answer.question ?? '', informationAnswer: answer.answer },
      });
    } catch (error) {
      // 409: the engine still holds a message with this id, so it was published before (its answer lost).
      if ((error as { statusCode?: number }).statusCode !== 409) {
        this.logger.warn({ err: error, claimId: answer.claimId, answerId }, 'could not publish the information message; it will be retried');
        return false;
      }
    }
    await this.dataSource.query(`UPDATE claim_information_answer SET published_at = now() WHERE id = $1 AND published_at IS NULL`, [answerId]);
    return true;
  }

  /** Answers kept but not yet taken by the engine (it was down, or the answer to the publication lost). */
  sweep(): Promise<void> {
    return this.retries.run();
  }

  private async publishWaiting(): Promise<void> {
    const waiting = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM claim_information_answer WHERE published_at IS NULL AND answered_at < now() - make_interval(secs => $1) ORDER BY answered_at LIMIT 100`,
      [RETRY_EVERY_MS / 1000],
    );
    for (const answer of waiting) await this.publish(answer.id);
  }
}
