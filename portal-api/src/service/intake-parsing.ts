import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';

/** What the intake reads from a message: who sent it, what it says, what it carries. */
export interface ParsedMail {
  readonly messageId: string;
  readonly fromAddress: string;
  readonly fromName: string;
  readonly subject: string;
  readonly text: string;
  /** The `Authentication-Results` headers, topmost (added last) first. */
  readonly authenticationResults: readonly string[];
  readonly attachments: readonly { readonly fileName: string; readonly declaredType: string; readonly content: Buffer }[];
}

/** Claim references as the claims module makes them (draft-filing.ts): CLM-2026-000042. */
const CLAIM_REFERENCE = /\bCLM-\d{4}-\d{6,}\b/i;

/** The claim reference a subject carries (the first one), upper-cased, if any. */
export function claimReferenceIn(subject: string): string | undefined {
  return CLAIM_REFERENCE.exec(subject)?.[0].toUpperCase();
}

/**
 * Parses a raw message (MIME, via postal-mime). A message without a
 * Message-ID gets one made from its bytes, so that its re-delivery is still
 * recognised; a message that cannot be parsed at all is kept as an empty one
 * (it goes to the agents' queue) rather than lost.
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const fallbackId = `${createHash('sha256').update(raw).digest('hex')}@claims-intake`;
  let parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    parsed = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  } catch {
    return { messageId: fallbackId, fromAddress: '', fromName: '', subject: '', text: '', authenticationResults: [], attachments: [] };
  }
  const from = parsed.from && 'address' in parsed.from ? parsed.from : undefined;
  const messageId = (parsed.messageId ?? '').trim().replace(/^<|>$/g, '').slice(0, 998) || fallbackId;
  return {
    messageId,
    fromAddress: (from?.address ?? '').trim().toLowerCase(),
    fromName: (from?.name ?? '').trim().slice(0, 200),
    subject: (parsed.subject ?? '').slice(0, 998),
    text: (parsed.text ?? '').slice(0, 20_000),
    authenticationResults: parsed.headers.filter((h) => h.key === 'authentication-results').map((h) => h.value),
    // Inline parts that are images of the body (signatures, logos with a Content-ID) are not receipts.
    attachments: parsed.attachments
      .filter((a) => a.disposition !== 'inline' || !a.contentId)
      .map((a) => ({ fileName: a.filename ?? 'attachment', declaredType: a.mimeType, content: Buffer.from(a.content as ArrayBuffer) })),
  };
}
