import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { type ClaimsDashboard } from './claims-dashboard';
import { reportTables } from './report-tables';

/** The report as a PDF: each table under its title, one line per row, columns at fixed stops (pdfkit's built-in Helvetica, no font files). */
export function reportPdf(report: ClaimsDashboard): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `Claims report ${report.range.from} to ${report.range.to}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text('Claims report');
  doc.moveDown(0.5);
  const width = doc.page.width - 96;
  for (const table of reportTables(report)) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text(table.title, 48);
    const column = width / table.columns.length;
    const line = (cells: readonly (string | number)[], bold: boolean) => {
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      cells.forEach((cell, i) => doc.text(String(cell), 48 + i * column, y, { width: column - 6, lineBreak: false }));
      doc.x = 48;
      doc.y = y + 14;
    };
    line(table.columns, true);
    if (table.rows.length === 0) line(['none'], false);
    for (const row of table.rows) line(row, false);
  }
  doc.end();
  return done;
}

/** The report as an Excel workbook: one sheet per table, numbers kept as numbers. */
export async function reportXlsx(report: ClaimsDashboard): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Claims portal';
  workbook.created = new Date(report.generatedAt);
  for (const table of reportTables(report)) {
    // Sheet names: at most 31 characters, none of []:*?/\
    const sheet = workbook.addWorksheet(table.title.replace(/[[\]:*?/\\]/g, ' ').replace(/\s*\(.*$/, '').slice(0, 31));
    sheet.addRow([table.title]).font = { bold: true, size: 13 };
    sheet.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) sheet.addRow([...row]);
    sheet.columns.forEach((col) => (col.width = 22));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
