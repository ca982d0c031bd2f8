import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPOSITORY_ROOT } from '../settings';
import { METRIC_NAMES } from './metrics';

interface Rule {
  alert?: string;
  expr?: unknown;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const HISTOGRAMS: readonly string[] = [METRIC_NAMES.httpDuration, METRIC_NAMES.workerJobDuration];
/** What the components export: each name, and a histogram's series. */
const EXPORTED = new Set<string>([...Object.values(METRIC_NAMES), ...HISTOGRAMS.flatMap((name) => [`${name}_count`, `${name}_sum`, `${name}_bucket`])]);
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset']);

/** The metric names an expression reads: identifiers left once strings, label matchers, ranges, groupings and function calls are taken out. */
export function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)].filter((m) => !m[2] && !KEYWORDS.has(m[1]!)).map((m) => m[1]!);
}

describe('Prometheus alert rules in deploy/prometheus/alert-rules.yml', () => {
  const file = path.join(REPOSITORY_ROOT, 'deploy', 'prometheus', 'alert-rules.yml');
  const document = parse(readFileSync(file, 'utf8')) as { groups?: { name?: string; rules?: Rule[] }[] };
  const rules = (document.groups ?? []).flatMap((group) => group.rules ?? []);

  test('the file is rule groups of alerts, each with an expression, a severity and a summary', () => {
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const rule of rules) {
      expect({ alert: rule.alert, expr: typeof rule.expr, severity: rule.labels?.severity, summary: typeof rule.annotations?.summary }).toEqual({ alert: expect.stringMatching(/^[A-Z][A-Za-z]+$/), expr: 'string', severity: expect.stringMatching(/^(page|ticket)$/), summary: 'string' });
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  test('every expression reads only metrics the portal, the engine and the workers export', () => {
    const unknown = rules.flatMap((rule) => metricsIn(String(rule.expr)).filter((name) => !EXPORTED.has(name)).map((name) => `${rule.alert}: ${name}`));
    expect(unknown).toEqual([]);
    for (const rule of rules) expect(metricsIn(String(rule.expr)).length).toBeGreaterThan(0);
  });

  test('incidents, stuck claims and error rates are covered', () => {
    const read = new Set(rules.flatMap((rule) => metricsIn(String(rule.expr))));
    expect([...read]).toEqual(expect.arrayContaining([METRIC_NAMES.incidentsOpen, METRIC_NAMES.claimsStuck, `${METRIC_NAMES.httpDuration}_count`, METRIC_NAMES.workerJobs]));
  });

  test('the name reader is not fooled by labels, ranges, groupings or functions', () => {
    expect(metricsIn('sum by (type) (increase(worker_jobs_total{outcome="incident", type=~"a|b"}[15m])) > 0')).toEqual(['worker_jobs_total']);
    expect(metricsIn('rate(a_total[5m]) / on (x) b_total')).toEqual(['a_total', 'b_total']);
  });
});
