/** The part of `mailauth` (it ships no types) the outbox uses to stamp received mail. */
declare module 'mailauth' {
  export interface AuthenticateOptions {
    readonly ip: string;
    readonly helo?: string;
    readonly sender?: string;
    readonly mta: string;
    readonly resolver?: (name: string, rrtype: string) => Promise<unknown>;
    readonly disableArc?: boolean;
    readonly disableBimi?: boolean;
  }
  export function authenticate(message: Buffer, options: AuthenticateOptions): Promise<{ readonly headers: string }>;
}
