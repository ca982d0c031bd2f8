// A billing run in a process of its own, for the crash test to kill mid-way:
// node -r @swc-node/register billing-run-child.ts <database url> <billing day> <lead days>
import { createLogger } from '@claims/deploy';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source';
import { runBilling } from '../billing-run';

async function main(): Promise<void> {
  const [url, billingDay, leadDays] = process.argv.slice(2);
  const dataSource = await new DataSource(dataSourceOptions(new URL(url!), 2)).initialize();
  process.send?.('started');
  await runBilling(dataSource, createLogger('billing-run-child', { LOG_LEVEL: 'warn' }), billingDay!, Number(leadDays));
  await dataSource.destroy();
}

void main();
