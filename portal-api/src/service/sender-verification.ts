/**
 * Whether the receiving host vouched for the sender of a mail: its
 * `Authentication-Results` (RFC 8601) under our own authserv-id says the
 * From domain passed DMARC, or passed DKIM or SPF with an identity aligned to
 * it. Only the topmost such header counts (our host prepends its own, and
 * drops the ones a sender wrote under its name); headers under any other id
 * are anyone's words and are ignored.
 */
export function senderVerified(authenticationResults: readonly string[], fromAddress: string, authservId: string): boolean {
  const fromDomain = domainOf(fromAddress);
  if (!fromDomain) return false;
  const ours = authenticationResults.map(parseResults).find((r) => r?.authservId === authservId.toLowerCase());
  if (!ours) return false;
  return ours.results.some(
    (r) =>
      r.result === 'pass' &&
      ((r.method === 'dmarc' && (r.properties['header.from'] ?? fromDomain) === fromDomain) ||
        (r.method === 'dkim' && [r.properties['header.d'], domainOf(r.properties['header.i'] ?? '')].some((d) => aligned(d, fromDomain))) ||
        (r.method === 'spf' && aligned(domainOf(r.properties['smtp.mailfrom'] ?? '') ?? r.properties['smtp.mailfrom'], fromDomain))),
  );
}

interface MethodResult {
  readonly method: string;
  readonly result: string;
  readonly properties: Readonly<Record<string, string>>;
}

/** `authserv-id [version]; method=result prop=value …; …`, comments removed, lower-cased; undefined when not of that shape. */
export function parseResults(header: string): { authservId: string; results: MethodResult[] } | undefined {
  let text = header.replace(/\s+/g, ' ');
  // Comments may nest: remove the innermost until none is left.
  for (let previous = ''; previous !== text; ) [previous, text] = [text, text.replace(/\([^()]*\)/g, ' ')];
  const [head, ...parts] = text.toLowerCase().split(';');
  const authservId = head?.trim().split(' ')[0];
  if (!authservId) return undefined;
  const results = parts.flatMap((part): MethodResult[] => {
    const [first, ...rest] = part.trim().split(' ').filter(Boolean);
    const match = /^([a-z0-9-]+)(?:\/\d+)?=([a-z]+)$/.exec(first ?? '');
    if (!match) return [];
    const properties: Record<string, string> = {};
    for (const token of rest) {
      const property = /^([a-z0-9-]+\.[a-z0-9-]+)=(.+)$/.exec(token);
      if (property) properties[property[1]!] = property[2]!.replace(/^"|"$/g, '');
    }
    return [{ method: match[1]!, result: match[2]!, properties }];
  });
  return { authservId, results };
}

function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  const domain = (at < 0 ? '' : address.slice(at + 1)).trim().toLowerCase();
  return domain || undefined;
}

/** Relaxed alignment, without a public-suffix list: the same domain, or the From domain under the signing one (of at least two labels). */
function aligned(identity: string | undefined, fromDomain: string): boolean {
  if (!identity) return false;
  const domain = identity.toLowerCase();
  return domain === fromDomain || (domain.includes('.') && fromDomain.endsWith(`.${domain}`));
}
