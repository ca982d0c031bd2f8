import { type Logger } from '../logger';

/** A row of the table `npm start` prints. */
export interface Endpoint {
  readonly label: string;
  readonly url: string;
  readonly note?: string;
  /** Where a person goes (a web page): listed first, in this order; the rest are for programs. */
  readonly forPeople?: number;
}

export interface DemoSignIn {
  readonly role: string;
  readonly username: string;
  readonly password: string;
}

export interface RunningComponent {
  readonly endpoints: readonly Endpoint[];
  readonly signIns?: readonly DemoSignIn[];
  stop(): Promise<void>;
}

export interface LaunchContext {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly logger: Logger;
  /** The component's own database, created if it was missing. */
  database(name: string): Promise<URL>;
  /** Aborted when the launcher is asked to stop while this component starts. */
  readonly signal?: AbortSignal;
}

/** One part of the system as the launcher sees it. */
export interface ComponentDefinition {
  readonly name: string;
  /** Fixed ports it will listen on, checked before anything starts. */
  ports(env: NodeJS.ProcessEnv): readonly { port: number; setting: string; host?: string }[];
  /** Names of databases it owns, so DATABASE_URL can be honoured per component. */
  readonly databases: readonly { name: string; setting: string }[];
  start(context: LaunchContext): Promise<RunningComponent>;
}
