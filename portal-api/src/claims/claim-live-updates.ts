import { Injectable, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { Client } from 'pg';
import { type Logger } from 'pino';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { type PortalSettings } from '../settings';

type Listener = () => void;

/**
 * Wakes live claim views when a claim's history grows. PostgreSQL's
 * LISTEN/NOTIFY carries the claim id (a trigger on claim_event sends it), so
 * an event written by any API instance or worker reaches the clients
 * connected to every instance.
 */
@Injectable()
export class ClaimLiveUpdates implements OnApplicationShutdown {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Calls `listener` after each new event of the claim, until the returned function is called. */
  async subscribe(claimId: string, listener: Listener): Promise<() => void> {
    await this.connect();
    let set = this.listeners.get(claimId);
    if (!set) this.listeners.set(claimId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(claimId);
    };
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new Client({ connectionString: this.settings.databaseUrl.href, application_name: 'portal-api-live' });
    client.on('notification', (message) => {
      if (message.channel !== 'claim_events' || !message.payload) return;
      for (const listener of this.listeners.get(message.payload) ?? []) listener();
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'live updates connection lost; reconnecting');
      this.client = undefined;
      if (!this.closed) setTimeout(() => void this.connect().then(() => this.wakeAll(), () => undefined), 1_000).unref();
    });
    await client.connect();
    await client.query('LISTEN claim_events');
    this.client = client;
  }

  /** After a reconnect, events may have been missed: every view checks again. */
  private wakeAll(): void {
    for (const set of this.listeners.values()) for (const listener of set) listener();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }
}
