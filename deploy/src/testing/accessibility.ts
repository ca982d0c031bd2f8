import { readFileSync } from 'node:fs';
import { type Page } from 'playwright-core';
import { screenshot } from './browser';

/** What axe-core reports of one rule broken on a page (the fields the check prints). */
interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

const AXE_SCRIPT = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 AA rules (and those of 2.0 it includes). */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it is now and answers the serious and
 * critical WCAG 2.1 AA findings, one line each naming the rule and where.
 * Minor and moderate findings are left to people to weigh.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the apps' Content-Security-Policy rightly refuses inline scripts.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SCRIPT);
  const violations = await page.evaluate<AxeViolation[]>(`window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} }, resultTypes: ['violations'] }).then((r) => r.violations)`);
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.impact} ${violation.id} (${violation.help}) at ${node.target.map(String).join(' ')}: ${node.failureSummary ?? ''}`.trim()));
}

/** Fails with axe-core's own words when the screen has a serious or critical WCAG 2.1 AA finding. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const problems = await accessibilityProblems(page);
  if (problems.length > 0) throw new Error(`${screen} is not accessible (axe-core, WCAG 2.1 AA):\n${problems.join('\n')}`);
}

/** The two sizes every staff screen is checked at: a desktop and a phone. */
export const WIDE = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * axe-core at both sizes and a picture of each in screenshots/
 * (`<name>-1440.png`, `<name>-390.png`). `noSideScroll` also asserts that the
 * phone shows the page without sideways scrolling. Afterwards the page goes
 * back to the size it had (`afterwards: 'original'`) or to WIDE.
 */
export async function checkAtBothSizes(page: Page, name: string, options: { noSideScroll?: boolean; afterwards?: 'original' | 'wide' } = {}): Promise<void> {
  const original = page.viewportSize();
  for (const size of [WIDE, PHONE]) {
    await page.setViewportSize(size);
    await expectAccessible(page, `${name} at ${size.width} px`);
    await screenshot(page, `${name}-${size.width}`);
    if (options.noSideScroll && size === PHONE) expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  }
  if (options.afterwards === 'wide') await page.setViewportSize(WIDE);
  else if (original) await page.setViewportSize(original);
}
