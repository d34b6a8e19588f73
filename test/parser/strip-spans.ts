// Test helper: a copy of an AST without source spans, for deep-equal comparisons of shapes.

/**
 * A deep copy of `value` without `span` properties and without properties
 * whose value is undefined (which mean the same as absent ones).
 *
 * @example
 *   expect(stripSpans(parseExpression('a + 1'))).to.deep.equal({ kind: 'BinaryOp', ... });
 */
export function stripSpans<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'span' || v === undefined) continue;
    out[key] = strip(v);
  }
  return out;
}
