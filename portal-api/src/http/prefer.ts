/**
 * Whether a `Prefer` request header (RFC 7240) asks for `return=minimal`:
 * preferences are comma-separated, names and tokens compared without case,
 * a value may be quoted, and parameters after `;` do not change it.
 */
export function prefersMinimalReturn(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((preference) => {
    const [name, value] = preference.split(';')[0]!.split('=').map((part) => part.trim().replace(/^"(.*)"$/, '$1').toLowerCase());
    return name === 'return' && value === 'minimal';
  });
}
