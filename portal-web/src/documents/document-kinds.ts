/** The kinds of document a client tags a file with, in the words clients read (the API's document types). */
export const DOCUMENT_KINDS = [
  { value: 'receipt', label: 'Receipt' },
  { value: 'prescription', label: 'Prescription' },
  { value: 'medical-report', label: 'Medical report' },
  { value: 'referral', label: 'Referral' },
  { value: 'other', label: 'Something else' },
] as const;

export function kindLabel(value: string): string {
  return DOCUMENT_KINDS.find((kind) => kind.value === value)?.label ?? value;
}

/** "a receipt and a prescription": the documents a kind of care needs, in a sentence. */
export function documentsSentence(kinds: readonly string[]): string {
  const names = kinds.map((kind) => `a ${kindLabel(kind).toLowerCase()}`);
  return names.length <= 1 ? (names[0] ?? 'nothing more') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
