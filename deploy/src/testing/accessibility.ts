import { readFileSync } from 'node:fs';
import { type Page } from 'playwright-core';

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
