import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from '@claims/deploy';

/**
 * The text of a PDF file, read by unpdf (PDF.js). unpdf loads PDF.js by a
 * dynamic import, which Jest's module sandbox refuses, so it runs in a plain
 * Node process beside the test.
 */
export async function pdfText(file: string): Promise<string> {
  const script = `import { extractText, getDocumentProxy } from 'unpdf';
import { readFile } from 'node:fs/promises';
const { text } = await extractText(await getDocumentProxy(new Uint8Array(await readFile(process.argv[1]))), { mergePages: true });
process.stdout.write(text);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, file], { cwd: REPOSITORY_ROOT, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}
