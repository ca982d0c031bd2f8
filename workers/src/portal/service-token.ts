/**
 * The workers' access token for the portal API: the OAuth 2.0 client
 * credentials grant against the issuer's token endpoint (found by OpenID
 * Connect discovery), kept until shortly before it expires. Concurrent callers
 * share one request.
 */
export class ServiceToken {
  private current?: { token: string; renewAt: number };
  private pending?: Promise<string>;
  private tokenEndpoint?: string;

  constructor(
    private readonly issuer: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  async get(): Promise<string> {
    if (this.current && Date.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Drops the token after the API refused it (a restarted issuer signs with new keys only if it lost them). */
  invalidate(): void {
    this.current = undefined;
  }

  private async fetchToken(): Promise<string> {
    this.tokenEndpoint ??= await this.discover();
    const response = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const answer = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || !answer.access_token) {
      throw new Error(`The identity provider refused the workers' client credentials (${response.status} ${answer.error ?? ''} ${answer.error_description ?? ''}).`.replace(/\s+\)/, ')'));
    }
    const lifetimeMs = (answer.expires_in ?? 300) * 1000;
    this.current = { token: answer.access_token, renewAt: Date.now() + Math.max(lifetimeMs - 30_000, lifetimeMs / 2) };
    return answer.access_token;
  }

  private async discover(): Promise<string> {
    const response = await fetch(`${this.issuer}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`OpenID Connect discovery at ${this.issuer} answered ${response.status}.`);
    const document = (await response.json()) as { token_endpoint?: string };
    if (!document.token_endpoint) throw new Error(`The issuer ${this.issuer} names no token endpoint.`);
    return document.token_endpoint;
  }
}
