import { withClaimLogKeys } from '@claims/deploy';
import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { EngineClient } from '../engine/engine-client';
import { LOGGER } from '../tokens';

/** How long an answer about incidents is kept: a claim page opened by many, or polled, asks the engine at most this often. */
export const INCIDENT_CACHE_MS = 10_000;
/** Open incidents read at once for search results; past this the flags are those of the first page (oldest first). */
const ALL_ACTIVE_LIMIT = 1_000;

interface IncidentPage {
  readonly items: { processInstanceKey: string | number }[];
}

/**
 * Whether a claim's process is stopped on an open incident, asked of the
 * engine (`POST /v2/incidents/search`, state ACTIVE) and kept briefly. Only
 * a yes or no leaves here: an incident's message is technical and never goes
 * to a client. An engine that does not answer means "not known" (undefined),
 * which shows nothing rather than failing the page.
 */
@Injectable()
export class IncidentWatch {
  private readonly byInstance = new Map<string, { open: boolean; until: number }>();
  private allActive: { keys: Promise<ReadonlySet<string> | undefined>; until: number } | undefined;

  constructor(
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Whether the process instance has an open incident (in it or in its subprocesses, as Camunda reports them by instance). */
  hasOpenIncident(processInstanceKey: string | null): Promise<boolean | undefined> {
    if (!processInstanceKey) return Promise.resolve(false);
    // A scope of its own, not the request's: a list asks about many instances.
    return withClaimLogKeys({ processInstanceKey }, () => this.askAbout(processInstanceKey));
  }

  private async askAbout(processInstanceKey: string): Promise<boolean | undefined> {
    const cached = this.byInstance.get(processInstanceKey);
    if (cached && cached.until > Date.now()) return cached.open;
    try {
      const page = await this.engine.call<IncidentPage>('POST', '/v2/incidents/search', { filter: { processInstanceKey, state: 'ACTIVE' }, page: { from: 0, limit: 1 } });
      const open = page.items.length > 0;
      if (this.byInstance.size > 10_000) this.byInstance.clear();
      this.byInstance.set(processInstanceKey, { open, until: Date.now() + INCIDENT_CACHE_MS });
      return open;
    } catch (error) {
      this.logger.warn({ err: error, processInstanceKey }, 'could not ask the engine about incidents');
      return undefined;
    }
  }

  /** The process instances with an open incident, for flagging many claims at once (one engine call, shared while cached). */
  async instancesWithOpenIncidents(): Promise<ReadonlySet<string> | undefined> {
    if (this.allActive && this.allActive.until > Date.now()) return this.allActive.keys;
    const keys = this.engine.call<IncidentPage>('POST', '/v2/incidents/search', { filter: { state: 'ACTIVE' }, page: { from: 0, limit: ALL_ACTIVE_LIMIT } }).then(
      (page) => new Set(page.items.map((incident) => String(incident.processInstanceKey))),
      (error: unknown) => {
        this.logger.warn({ err: error }, 'could not ask the engine about incidents');
        this.allActive = undefined;
        return undefined;
      },
    );
    this.allActive = { keys, until: Date.now() + INCIDENT_CACHE_MS };
    return keys;
  }
}
