import PDFDocument from 'pdfkit';
import { formatCents } from './money-text';

/** What the schedule states: the policy's terms as sold, from the quote and its product version. */
export interface ScheduleTerms {
  readonly policyNumber: string;
  readonly holder: string;
  readonly insured: readonly { fullName: string; birthDate: string; role: string }[];
  readonly product: string;
  readonly productVersion: number;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly currency: string;
  readonly yearlyPremiumCents: number;
  readonly periodPremiumCents: number;
  readonly paymentFrequency: string;
  readonly deductibleCents: number;
  readonly coinsurancePermille: number;
  readonly annualLimitCents: number;
  readonly benefits: readonly { label: string; perItemLimitCents: number; annualLimitCents: number; waitingPeriodDays: number }[];
}

/** The policy schedule as a PDF (pdfkit, standard Helvetica: no font files to ship). */
export function policySchedulePdf(terms: ScheduleTerms): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Policy schedule ${terms.policyNumber}`, Author: 'Claims automation' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (cents: number) => formatCents(cents, terms.currency);
  doc.fontSize(18).text(`Policy schedule ${terms.policyNumber}`);
  doc.moveDown(0.5).fontSize(11);
  doc.text(`Product: ${terms.product} (terms version ${terms.productVersion})`);
  doc.text(`Policyholder: ${terms.holder}`);
  doc.text(`Period of cover: ${terms.startsOn} to ${terms.endsOn}`);
  doc.text(`Premium: ${money(terms.yearlyPremiumCents)} a year, paid ${terms.paymentFrequency} (${money(terms.periodPremiumCents)} each)`);
  doc.text(`Yearly deductible: ${money(terms.deductibleCents)}; we then pay ${terms.coinsurancePermille / 10} % of each eligible amount, up to ${money(terms.annualLimitCents)} a year`);
  doc.moveDown().fontSize(13).text('Insured people');
  doc.fontSize(11);
  for (const person of terms.insured) doc.text(`${person.fullName}, born ${person.birthDate} (${person.role})`);
  doc.moveDown().fontSize(13).text('Benefits');
  doc.fontSize(11);
  for (const b of terms.benefits) {
    doc.text(`${b.label}: up to ${money(b.perItemLimitCents)} an item, ${money(b.annualLimitCents)} a year${b.waitingPeriodDays > 0 ? `, covered after ${b.waitingPeriodDays} days` : ''}`);
  }
  doc.end();
  return done;
}
