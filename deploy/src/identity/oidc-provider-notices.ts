import { type Logger } from '../logger';

/**
 * oidc-provider prints its notices straight to the console, each time a
 * process loads it: on Node.js 20 that it prefers 22 or later (expected: we
 * support 20.19 until its users move, and CI runs 24 too), and that its
 * sessions live in memory (by design for this local stand-in for Keycloak).
 * Written raw to stderr on every `npm start` and in every test that starts an
 * issuer, they read as faults. This module, imported before oidc-provider,
 * catches those lines and hands them to the issuer's logger, each once per
 * process, at a level that says how much they matter here.
 */
const PREFIX = 'oidc-provider ';

/** Notices that are expected here, and why; anything else oidc-provider says stays a warning. */
const EXPECTED: readonly { pattern: RegExp; level: 'info' | 'debug'; note: string }[] = [
  { pattern: /Unsupported runtime/, level: 'info', note: `oidc-provider asks for Node.js 22 or later; ${process.version} works here, but Node.js 20 is end of life: move to Node.js 24 LTS` },
  { pattern: /in-memory adapter/, level: 'debug', note: 'the embedded issuer keeps sessions in memory: a restart signs everyone out' },
];

const seen = new Set<string>();
const pending: string[] = [];
let sink: Logger | undefined;

function report(text: string): void {
  if (seen.has(text)) return;
  seen.add(text);
  if (!sink) {
    pending.push(text);
    return;
  }
  const expected = EXPECTED.find((e) => e.pattern.test(text));
  if (expected) sink[expected.level]({ oidcProvider: text }, expected.note);
  else sink.warn({ oidcProvider: text }, 'oidc-provider notice');
}

function intercept(method: 'warn' | 'info'): void {
  // eslint-disable-next-line no-console -- the point: oidc-provider writes to the console
  const original = console[method].bind(console);
  // eslint-disable-next-line no-console -- replaced so its lines reach the logger instead
  console[method] = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    // Its own colouring when stderr is a terminal wraps the prefix in escape codes.
    const plain = text.replace(/\x1b\[[\d;]*m/g, ''); // eslint-disable-line no-control-regex
    if (plain.startsWith(PREFIX)) report(plain);
    else original(...args);
  };
}

intercept('warn');
intercept('info');

/** From now on oidc-provider's notices go to this logger; those caught before are reported now. */
export function logOidcProviderNoticesTo(logger: Logger): void {
  sink = logger;
  for (const text of pending.splice(0)) {
    seen.delete(text);
    report(text);
  }
}
