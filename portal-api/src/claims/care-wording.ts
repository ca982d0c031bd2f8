/**
 * Kinds of care in the words people read, the same everywhere: the extranet,
 * the staff app, the process's item labels and the emails. A policy's
 * benefit label, where there is one, says it for that policy; this table is
 * the one fallback (it matches the demo products' labels).
 */
export const CARE_WORDING: Readonly<Record<string, string>> = {
  GP_VISIT: 'General practitioner visit',
  SPECIALIST: 'Specialist consultation',
  PHARMACY: 'Prescribed medicines',
  PHYSIO: 'Physiotherapy session',
  DENTAL: 'Dental care',
  OPTICAL: 'Glasses and lenses',
  HOSPITAL: 'Hospital stay',
};

/** A care code in words: the table's, or, for a code it does not know, the code spelt out ("SLEEP_STUDY" → "Sleep study"). */
export function careWords(code: string): string {
  const known = CARE_WORDING[code];
  if (known) return known;
  const text = code.replace(/[-_]+/g, ' ').trim().toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
