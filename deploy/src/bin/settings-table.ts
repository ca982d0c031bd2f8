// Prints the README's settings table from the one list in settings.ts.
import { settingsTableMarkdown } from '../settings';

process.stdout.write(`${settingsTableMarkdown()}\n`);
