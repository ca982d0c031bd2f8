/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { type Browser, type Page } from 'playwright-core';
import { checkAtBothSizes } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';
import { pdfText } from './pdf-text';

// Claims run through the real process and workers: two paid straight
// through, one declined by the rules, one declined by Adam after review, and
// one Adam holds in review. A manager opens the dashboard from the menu by
// keyboard, reads the figures, narrows it to a route, and downloads the
// report as PDF and as Excel; both files are opened here and must carry the
// figures the page shows. axe-core and pictures at 1440 and 390 px.


let life: LifecycleFixture;
let browser: Browser;
let heldReference: string;
/** What the two paid claims paid, in cents, as their claims say. */
let paidCents = 0;

beforeAll(async () => {
  life = await LifecycleFixture.start('dashboard-e2e', { web: true });
  await life.startWorkers();
  browser = await launchChromium();
  // One after the other: the first takes the policy's deductible, so the second is paid too.
  const paidA = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 180 }, { careCode: 'GP_VISIT', amount: 120 }]);
  paidCents += Math.round(Number((await life.claimWhen(paidA.claimId, (c) => c.status === 'paid')).totalPaid) * 100);
  const paidB = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 50 }]);
  const ruled = await life.fileClaim('bruno', 'POL-100002', [{ careCode: 'HOSPITAL', amount: 900 }, { careCode: 'DENTAL', amount: 200 }], ['receipt', 'medical-report']);
  const reviewed = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'HOSPITAL', amount: 3100 }], ['receipt', 'medical-report']);
  const held = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'HOSPITAL', amount: 2900 }], ['receipt', 'medical-report']);
  heldReference = held.reference;
  paidCents += Math.round(Number((await life.claimWhen(paidB.claimId, (c) => c.status === 'paid')).totalPaid) * 100);
  await life.claimWhen(ruled.claimId, (c) => c.status === 'rejected');
  // Adam declines one assessment and keeps the other open.
  const assess = await life.openTask(reviewed.claimId, 'assess-claim', 'adam');
  expect((await life.portal.call('adam', 'POST', `/tasks/${assess.userTaskKey}/assignment`)).status).toBe(201);
  const presented = (await life.portal.call('adam', 'GET', `/tasks/${assess.userTaskKey}`)).body.variables;
  const items = (presented.items as Record<string, any>[]).map((row) => ({ itemId: row.itemId, label: row.label, amount: row.amount, decision: 'decline', reasonCode: 'NOT_COVERED' }));
  expect((await life.portal.call('adam', 'POST', `/tasks/${assess.userTaskKey}/completion`, { json: { variables: { items, assessment: 'decline', clientReason: 'This stay is not covered by your policy.', decisionNote: 'Elective stay.' } } })).status).toBe(200);
  await life.claimWhen(reviewed.claimId, (c) => c.status === 'rejected');
  const open = await life.openTask(held.claimId, 'assess-claim', 'adam');
  expect((await life.portal.call('adam', 'POST', `/tasks/${open.userTaskKey}/assignment`)).status).toBe(201);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

/** A table's body rows as their cells' text. */
async function rowsOf(page: Page, name: string): Promise<string[][]> {
  const rows = page.getByRole('table', { name, exact: true }).locator('tbody tr');
  const result: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) result.push((await rows.nth(i).locator('td').allInnerTexts()).map((text) => text.trim()));
  return result;
}

/** Waits (at most 15 s, re-reading as the page renders) until a table's rows satisfy `settled`; answers them, or fails with what it last read. */
async function rowsSettle(page: Page, name: string, settled: (rows: string[][]) => boolean): Promise<string[][]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await rowsOf(page, name);
    if (settled(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`The table "${name}" did not settle; it last read ${JSON.stringify(rows)} beside: ${await page.locator('main').innerText()}`);
    await page.waitForTimeout(100);
  }
}

/** The reference for how a duration is written: minutes under an hour, hours under two days, then days. */
function duration(seconds: number): string {
  if (seconds < 3_600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** Downloads by the button named `name` and returns the file's bytes. */
async function download(page: Page, name: string): Promise<{ bytes: Buffer; fileName: string; saved: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const saved = await file.path();
  return { bytes: await readFile(saved), fileName: file.suggestedFilename(), saved };
}

it('a manager reads the figures, narrows them, and downloads the PDF and the Excel file with the same figures', async () => {
  // What the portal computes, asked directly: the page and both files must show it.
  const report = (await life.portal.call('maria', 'GET', '/dashboards/claims')).body;
  expect(report.outcomes).toMatchObject({ paid: 2, declined: 2, decided: 4, approvalRate: 0.5, declineRate: 0.5 });
  expect(report.people).toEqual([{ adjuster: 'adam', team: 'adjuster', openTasks: 1, completed: 1 }]);
  expect(report.turnaround.reduce((sum: number, row: { claims: number }) => sum + row.claims, 0)).toBe(4);
  expect(report.turnaround.find((row: { route: string }) => row.route === 'straight-through')).toMatchObject({ claims: 2 });

  const page = await (await personContext(browser)).newPage();
  await page.goto(`${life.portal.baseUrl}/staff/`);
  await signIn(page, 'maria');
  const menuLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' });
  await menuLink.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  await page.getByTestId('key-figures').waitFor();
  const figures = await page.getByTestId('key-figures').innerText();
  expect(figures).toMatch(/Decided\s+4/);
  expect(figures).toMatch(/Approval rate\s+50\.0%/);
  expect(figures).toMatch(/Decline rate\s+50\.0%/);
  expect(figures).toMatch(/Open incidents\s+0/);
  const paid = `${Math.trunc(paidCents / 100)}.${String(paidCents % 100).padStart(2, '0')}`;
  expect(report.payouts).toEqual([{ currency: 'EUR', count: 2, paidCents }]);
  expect(figures).toContain(`€${paid}`);
  const turnaround = report.turnaround.map((row: any) => [row.route ? row.route.replace(/-/g, ' ').replace(/^./, (c: string) => c.toUpperCase()) : 'Before routing', String(row.claims), duration(row.p50Seconds), duration(row.p90Seconds)]);
  expect(await rowsOf(page, 'Turnaround by route')).toEqual(turnaround);
  expect(await rowsOf(page, 'Outcomes')).toEqual([['Paid', '2'], ['Nothing payable', '0'], ['Declined', '2'], ['Abandoned', '0']]);
  expect(await rowsOf(page, 'Workload and throughput per person')).toEqual([['adam', 'Adjuster', '1', '1']]);
  // The customer-service figures: Adam claimed the two assessments, so he has first responses.
  const service = await rowsSettle(page, 'Customer service per agent', (rows) => rows.some((row) => row[0] === 'adam'));
  expect(service.find((row) => row[0] === 'adam')?.[1]).toBe('Adjuster');
  // Three charts of the claims report and two of customer service (first response and satisfaction, their targets drawn), beside the tables.
  expect(await page.locator('canvas[role="img"]').count()).toBe(5);
  await checkAtBothSizes(page, 'tasklist-dashboard', { noSideScroll: true, afterwards: 'original' });

  // The PDF: opened and read back.
  const pdf = await download(page, 'Download PDF');
  expect(pdf.fileName).toBe(`claims-report-${report.range.from}-to-${report.range.to}.pdf`);
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const words = (await pdfText(pdf.saved)).replace(/\s+/g, ' ');
  expect(words).toContain('Claims report');
  expect(words).toMatch(/Paid 2 /);
  expect(words).toMatch(/Declined 2 /);
  expect(words).toMatch(/Approval rate 50\.0%/);
  for (const row of report.turnaround) expect(words).toContain(`${row.route ?? 'before routing'} ${row.claims} ${duration(row.p50Seconds)} ${duration(row.p90Seconds)}`);
  expect(words).toMatch(/adam adjuster 1 1/);
  expect(words).toContain(`EUR 2 ${paid}`);

  // The workbook: opened and read back, numbers as numbers.
  const xlsx = await download(page, 'Download Excel');
  expect(xlsx.fileName).toBe(`claims-report-${report.range.from}-to-${report.range.to}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
  const sheet = (name: string) => (workbook.getWorksheet(name)!.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1)).slice(2);
  expect(sheet('Outcomes')).toEqual(expect.arrayContaining([['Paid', 2], ['Declined', 2], ['Approval rate', '50.0%'], ['Open incidents', 0]]));
  expect(sheet('Turnaround')).toEqual(report.turnaround.map((row: any) => [row.route ?? 'before routing', row.claims, duration(row.p50Seconds), duration(row.p90Seconds)]));
  expect(sheet('Workload and throughput')).toEqual([['adam', 'adjuster', 1, 1]]);
  expect(sheet('Payouts paid')).toEqual([['EUR', 2, paid]]);

  // Narrowed to the review route, from the filters, by keyboard: only Adam's declined claim was decided there.
  const route = page.getByRole('form', { name: 'Report range and filters' }).locator('select[name="route"]');
  await route.focus();
  await route.selectOption('review');
  await page.getByRole('button', { name: 'Show' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/route=review/);
  // The page says what the report it shows was narrowed to; the tables are read once that report is in.
  await page.getByTestId('report-range').filter({ hasText: 'review route only' }).waitFor();
  expect((await rowsSettle(page, 'Turnaround by route', (rows) => rows.length > 0)).map((row) => row.slice(0, 2))).toEqual([['Review', '1']]);
  expect(await rowsOf(page, 'Outcomes')).toEqual([['Paid', '0'], ['Nothing payable', '0'], ['Declined', '1'], ['Abandoned', '0']]);
  const narrowed = await download(page, 'Download Excel');
  const narrowedBook = new ExcelJS.Workbook();
  await narrowedBook.xlsx.load(narrowed.bytes as unknown as ArrayBuffer);
  expect((narrowedBook.getWorksheet('Scope')!.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1))).toEqual(expect.arrayContaining([['Route', 'review']]));
}, 180_000);

it('on a phone the manager reaches the dashboard and its downloads; the held claim is not yet in the figures', async () => {
  const page = await (await personContext(browser, 'phone')).newPage();
  await page.goto(`${life.portal.baseUrl}/staff/dashboard`);
  await signIn(page, 'marc');
  await page.getByTestId('key-figures').waitFor();
  expect(await page.getByTestId('key-figures').innerText()).toMatch(/Decided\s+4/);
  for (const name of ['Download PDF', 'Download Excel', 'Show']) {
    const box = await page.getByRole('button', { name }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
  // The claim Adam holds is open: counted in his workload, not in any outcome.
  expect(heldReference).toMatch(/^CLM-/);
  expect(await rowsOf(page, 'Workload and throughput per team')).toEqual([['Adjuster', '1', '1']]);
  await screenshot(page, 'tasklist-dashboard-phone');
}, 60_000);
