import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pdfText } from '@claims/tasklist-web/e2e/pdf-text';
import { invoiceLines } from './invoice-lines';
import { type InvoiceDocument, invoicePdf, paymentInstructions } from './invoice-pdf';

/**
 * The invoice PDF read back as text by PDF.js (in a Node process beside the
 * test, hence an integration suite): the lines the invoice stores, the totals,
 * the due date and how to pay.
 */
const draft = invoiceLines({
  policyId: 'p1',
  currency: 'EUR',
  period: { from: '2026-12-01', to: '2026-12-31' },
  members: [{ insuredPersonId: 'a', periodPremiumCents: 12_345 }, { insuredPersonId: 'b', periodPremiumCents: 4_000 }],
  changes: [{ insuredPersonId: 'b', effectiveFrom: '2026-12-16', newPeriodPremiumCents: 6_000 }],
  fees: [{ code: 'reminder', cents: 500 }],
});

const invoice: InvoiceDocument = {
  number: 'INV-2026-000042',
  issuedOn: '2026-11-17',
  dueOn: '2026-12-01',
  period: draft.period,
  policyNumber: 'POL-2026-000007',
  holder: 'Ada Lovelace',
  currency: 'EUR',
  lines: draft.lines,
  totalCents: draft.totalCents,
  adjustedCents: 0,
  paidCents: 0,
  creditedCents: 0,
  insuredNames: { a: 'Ada Lovelace', b: 'Byron Lovelace' },
  payment: { kind: 'transfer' },
  payee: { name: 'Claims Mutual', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
};

describe('the invoice PDF', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'invoice-pdf-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  async function text(document: InvoiceDocument): Promise<string> {
    const file = path.join(dir, `${document.number}-${document.paidCents}.pdf`);
    await writeFile(file, await invoicePdf(document));
    return (await pdfText(file)).replace(/\s+/g, ' ');
  }

  it('shows every line, the totals, the due date and where to transfer', async () => {
    // 16 of 31 days at the new price: credit of 4 000 × 16/31 = 2 064.5 → 2 065 (ties to the earlier piece), charge of 6 000 × 16/31 = 3 096.8 → 3 097.
    expect(draft.lines.map((l) => l.cents)).toEqual([12_345, 4_000, -2_065, 3_097, 500]);
    const got = await text(invoice);
    expect(got).toContain('Invoice INV-2026-000042');
    expect(got).toContain('Policy: POL-2026-000007');
    expect(got).toContain('Due on: 2026-12-01');
    expect(got).toContain('1. Premium, Ada Lovelace (2026-12-01 to 2026-12-31) €123.45');
    expect(got).toContain('3. Credit of the previous premium, Byron Lovelace (2026-12-16 to 2026-12-31) -€20.65');
    expect(got).toContain('4. New premium, Byron Lovelace (2026-12-16 to 2026-12-31) €30.97');
    expect(got).toContain('5. Fee reminder (2026-12-01 to 2026-12-31) €5.00');
    expect(got).toContain('Total €178.77');
    expect(got).toContain('To pay €178.77');
    expect(got).toContain('Please transfer €178.77 by 2026-12-01 to Claims Mutual, IBAN DE89370400440532013000, BIC COBADEFFXXX, quoting INV-2026-000042.');
  });

  it('says what is left after a part payment and a credit, and that a direct debit will collect it', async () => {
    const got = await text({ ...invoice, adjustedCents: -1_000, paidCents: 10_000, creditedCents: 877, payment: { kind: 'direct-debit', mandateReference: 'MDT-9', ibanLast4: '3000' } });
    expect(got).toContain('Paid -€100.00');
    expect(got).toContain('Credited -€8.77');
    expect(got).toContain('Adjusted since issue -€10.00');
    expect(got).toContain('To pay €60.00');
    expect(got).toContain('We will collect €60.00 by direct debit on 2026-12-01 from your account ending 3000 (mandate MDT-9).');
  });

  it('asks nothing when the invoice is settled', () => {
    expect(paymentInstructions({ ...invoice, paidCents: invoice.totalCents })).toEqual(['Nothing is left to pay on this invoice. Thank you.']);
    expect(paymentInstructions({ ...invoice, payment: { kind: 'card', brand: 'Visa', last4: '4242' } })).toEqual(['We will charge €178.77 to your Visa card ending 4242 on 2026-12-01.']);
  });
});
