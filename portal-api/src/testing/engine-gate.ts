import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * An HTTP gate between the portal and the engine: open, it passes requests
 * through; shut (for every request, or for the ones a test names), it drops
 * the connection without an answer, as an engine that is down does.
 */
export class EngineGate {
  private target: URL | undefined;
  private shut: ((request: IncomingMessage) => boolean) | undefined;
  private held: { which: (request: IncomingMessage) => boolean; until: Promise<void> } | undefined;
  private readonly server: Server = createServer((incoming, answer) => this.forward(incoming, answer));

  static async start(): Promise<EngineGate> {
    const gate = new EngineGate();
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  private forward(incoming: IncomingMessage, answer: ServerResponse): void {
    if (!this.target || this.shut?.(incoming)) {
      incoming.socket.destroy();
      return;
    }
    if (this.held?.which(incoming)) {
      const { until } = this.held;
      void until.then(() => this.pass(incoming, answer));
      return;
    }
    this.pass(incoming, answer);
  }

  private pass(incoming: IncomingMessage, answer: ServerResponse): void {
    const target = this.target!;
    const outgoing = request(new URL(incoming.url ?? '/', target), { method: incoming.method, headers: incoming.headers }, (upstream) => {
      answer.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(answer);
    });
    outgoing.on('error', () => incoming.socket.destroy());
    incoming.pipe(outgoing);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  to(engineUrl: string): void {
    this.target = new URL(engineUrl);
  }

  /** Drops every request, or those `which` picks. */
  close(which: (request: IncomingMessage) => boolean = () => true): void {
    this.shut = which;
  }

  /** Keeps the requests `which` picks waiting (an engine slow to answer) until the returned function is called. */
  hold(which: (request: IncomingMessage) => boolean): () => void {
    let release!: () => void;
    this.held = { which, until: new Promise<void>((resolve) => (release = resolve)) };
    return () => {
      this.held = undefined;
      release();
    };
  }

  open(): void {
    this.shut = undefined;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
