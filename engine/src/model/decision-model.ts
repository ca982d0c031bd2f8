/**
 * The executable form of a DMN decision requirements graph (one .dmn file):
 * its decisions, each a decision table or a literal expression, read once at
 * deployment (read-dmn.ts) and evaluated with feelin (decisions/).
 */

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export interface DecisionInput {
  readonly id: string;
  /** What the Camunda API reports as the input's name: its label, else its expression. */
  readonly name: string;
  readonly expression: string;
}

export interface DecisionOutput {
  readonly id: string;
  readonly name: string;
  /** Allowed values in priority order (PRIORITY and OUTPUT ORDER sort by them). */
  readonly priorities: readonly unknown[];
}

export interface DecisionRule {
  readonly id: string;
  /** Unary tests, one per input; `-` or empty matches anything. */
  readonly inputEntries: readonly string[];
  /** FEEL expressions, one per output; empty yields null. */
  readonly outputEntries: readonly string[];
}

export interface DecisionTable {
  readonly kind: 'table';
  readonly hitPolicy: HitPolicy;
  readonly aggregation?: Aggregation;
  readonly inputs: readonly DecisionInput[];
  readonly outputs: readonly DecisionOutput[];
  readonly rules: readonly DecisionRule[];
}

export interface LiteralExpression {
  readonly kind: 'literal';
  readonly expression: string;
}

export interface ExecutableDecision {
  readonly id: string;
  readonly name: string;
  /** Decisions of the same graph whose results this one reads, by their ids. */
  readonly requiredDecisions: readonly string[];
  readonly logic: DecisionTable | LiteralExpression;
}

export interface ExecutableDecisionGraph {
  readonly id: string;
  readonly name: string;
  readonly decisions: ReadonlyMap<string, ExecutableDecision>;
}
