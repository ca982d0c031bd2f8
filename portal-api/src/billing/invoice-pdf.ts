import PDFDocument from 'pdfkit';
import { formatCents } from '../applications/money-text';
import { type InvoiceLine } from './invoice-lines';

/**
 * An invoice as the client receives it, as a PDF (pdfkit, standard Helvetica
 * like the policy schedule): who, which policy and period, every line as
 * stored, the totals, the due date and how it gets paid. Built from what the
 * invoice tables hold, never recomputed, so the PDF says what the ledger does.
 */
export interface InvoiceDocument {
  number: string;
  issuedOn: string;
  dueOn: string;
  period: { from: string; to: string };
  policyNumber: string;
  holder: string;
  currency: string;
  lines: readonly InvoiceLine[];
  /** The sum of the lines. */
  totalCents: number;
  /** Staff adjustments applied to the invoice after it was issued (signed). */
  adjustedCents: number;
  paidCents: number;
  /** Credit notes against the invoice (e.g. a cancellation), lowering what is open. */
  creditedCents: number;
  /** Insured people by id, to name the lines. */
  insuredNames: Readonly<Record<string, string>>;
  /** How the invoice is paid: collected by direct debit or card, or by transfer to the insurer's account. */
  payment:
    | { kind: 'direct-debit'; mandateReference: string; ibanLast4: string }
    | { kind: 'card'; brand: string; last4: string }
    | { kind: 'transfer' };
  payee: { name: string; iban: string; bic: string };
}

const LINE_LABELS: Record<string, string> = {
  'premium/premium': 'Premium',
  'proration/credit-old-premium': 'Credit of the previous premium',
  'proration/charge-new-premium': 'New premium',
};

/** The wording of one line: what it is, for whom, over which days. */
export function invoiceLineLabel(line: InvoiceLine, insuredNames: Readonly<Record<string, string>>): string {
  const what = LINE_LABELS[`${line.kind}/${line.code}`] ?? `${line.kind[0]!.toUpperCase()}${line.kind.slice(1)} ${line.code}`;
  const who = line.insuredPersonId === null ? '' : `, ${insuredNames[line.insuredPersonId] ?? 'insured person'}`;
  return `${what}${who} (${line.periodFrom} to ${line.periodTo})`;
}

/** What the client is asked to do, or told will happen, for what is still open. */
export function paymentInstructions(invoice: InvoiceDocument): string[] {
  const open = toPay(invoice);
  const money = formatCents(open, invoice.currency);
  if (open <= 0) return ['Nothing is left to pay on this invoice. Thank you.'];
  switch (invoice.payment.kind) {
    case 'direct-debit':
      return [`We will collect ${money} by direct debit on ${invoice.dueOn} from your account ending ${invoice.payment.ibanLast4} (mandate ${invoice.payment.mandateReference}).`, 'Please make sure the account has enough funds on that day.'];
    case 'card':
      return [`We will charge ${money} to your ${invoice.payment.brand} card ending ${invoice.payment.last4} on ${invoice.dueOn}.`];
    case 'transfer':
      return [`Please transfer ${money} by ${invoice.dueOn} to ${invoice.payee.name}, IBAN ${invoice.payee.iban}, BIC ${invoice.payee.bic}, quoting ${invoice.number}.`];
  }
}

export function invoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${invoice.number}`, Author: invoice.payee.name } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (cents: number) => formatCents(cents, invoice.currency);
  const amountColumn = 420;
  const row = (label: string, cents: number, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(label, 50, y, { width: amountColumn - 60 });
    const after = doc.y;
    doc.text(money(cents), amountColumn, y, { width: 125, align: 'right' });
    doc.y = Math.max(after, doc.y);
  };
  doc.fontSize(18).text(`Invoice ${invoice.number}`);
  doc.moveDown(0.5).fontSize(11);
  doc.text(`Policyholder: ${invoice.holder}`);
  doc.text(`Policy: ${invoice.policyNumber}`);
  doc.text(`Period: ${invoice.period.from} to ${invoice.period.to}`);
  doc.text(`Issued on: ${invoice.issuedOn}`);
  doc.text(`Due on: ${invoice.dueOn}`);
  doc.moveDown().fontSize(13).text('Lines');
  doc.fontSize(11);
  for (const line of invoice.lines) row(`${line.position}. ${invoiceLineLabel(line, invoice.insuredNames)}`, line.cents);
  doc.moveDown(0.5);
  row('Total', invoice.totalCents, true);
  if (invoice.adjustedCents !== 0) row('Adjusted since issue', invoice.adjustedCents);
  if (invoice.paidCents > 0) row('Paid', -invoice.paidCents);
  if (invoice.creditedCents > 0) row('Credited', -invoice.creditedCents);
  row('To pay', toPay(invoice), true);
  doc.font('Helvetica').moveDown().fontSize(13).text('Payment', 50);
  doc.fontSize(11);
  for (const sentence of paymentInstructions(invoice)) doc.text(sentence, 50);
  doc.end();
  return done;
}

function toPay(invoice: InvoiceDocument): number {
  return invoice.totalCents + invoice.adjustedCents - invoice.paidCents - invoice.creditedCents;
}
