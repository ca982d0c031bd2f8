import { parseExpression, parseUnaryTests } from 'feelin';

/** Where a FEEL text sits in a decision table: an expression, or unary tests (an input entry). */
export type FeelKind = 'expression' | 'unary-tests';

type SyntaxNode = { type: { name: string }; from: number; to: number; parent: SyntaxNode | null; firstChild: SyntaxNode | null; nextSibling: SyntaxNode | null };

/**
 * The free variable names a FEEL text reads, from feelin's syntax tree (not
 * from the text): names it binds itself (for/some/every iterators, function
 * parameters, context keys), function names and the fields read inside a
 * filter (`items[amount > 3]` reads `amount` of each item) are not free.
 * For `a.b.c` only `a` is a variable. `-`/empty entries read nothing.
 */
export function freeVariableNames(source: string, kind: FeelKind): string[] {
  const trimmed = source.trim();
  if (trimmed === '' || (kind === 'unary-tests' && trimmed === '-')) return [];
  const parse = kind === 'expression' ? parseExpression : parseUnaryTests;
  let tree: ReturnType<typeof parseExpression>;
  try {
    tree = parse(source, {}, undefined);
  } catch {
    return [];
  }
  const bound = new Set<string>(['item', '?']);
  const read: string[] = [];
  const text = (node: { from: number; to: number }) => source.slice(node.from, node.to).trim();
  tree.iterate({
    enter(ref) {
      const node = ref.node as unknown as SyntaxNode;
      const type = node.type.name;
      if (type === 'Name' && (node.parent?.type.name === 'InExpression' || node.parent?.type.name === 'Key' || node.parent?.type.name === 'ParameterName')) bound.add(text(node));
      if (type !== 'VariableName') return;
      const parent = node.parent;
      if (parent?.type.name === 'FunctionInvocation' && parent.firstChild?.from === node.from) return;
      if (insideFilter(node)) return;
      read.push(text(node));
    },
  });
  return [...new Set(read.filter((name) => !bound.has(name)))];
}

/** Whether the node sits in the bracketed condition of a filter, where names are the items' fields. */
function insideFilter(node: SyntaxNode): boolean {
  for (let child: SyntaxNode | null = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type.name === 'FilterExpression' && parent.firstChild && child.from > parent.firstChild.from) return true;
  }
  return false;
}
