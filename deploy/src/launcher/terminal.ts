import { isOperatorError } from '../operator-error';
import { type Endpoint } from './component';
import { type RunningSystem } from './launcher';

/** The one table `npm start` prints: where each part answers, and who can sign in. */
export function formatSummary(system: RunningSystem, title: string): string {
  const lines = [``, `${title} (data in ${system.dataDir}). Press Ctrl-C to stop.`, ``];
  const width = Math.max(...system.endpoints.map((e) => e.label.length), 4);
  const row = (endpoint: Endpoint) => `  ${endpoint.label.padEnd(width)}  ${endpoint.url}${endpoint.note ? `   (${endpoint.note})` : ''}`;
  const forPeople = system.endpoints.filter((e) => e.forPeople !== undefined).sort((a, b) => a.forPeople! - b.forPeople!);
  const forPrograms = system.endpoints.filter((e) => e.forPeople === undefined);
  if (forPeople.length > 0) lines.push('  Open in a browser:', ...forPeople.map(row), '', '  Services:');
  lines.push(...forPrograms.map(row));
  if (system.signIns.length > 0) {
    lines.push('', '  Demo sign-ins:');
    const roleWidth = Math.max(...system.signIns.map((s) => s.role.length));
    for (const signIn of system.signIns) {
      lines.push(`  ${signIn.role.padEnd(roleWidth)}  ${signIn.username} / ${signIn.password}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

/** A problem the operator can fix reads as one plain sentence and a hint; anything else keeps its stack. */
export function formatFailure(error: unknown): string {
  if (isOperatorError(error)) {
    return `\nCannot start: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`;
  }
  return `\nCannot start, because of an unexpected error (please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
}
