// Literals to runtime values: numbers (typed as PostgreSQL and Flink type them), strings, bytes, typed and interval literals.

import { Types } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import { parseDate, parseIntervalLiteral, parseTime, parseTimestamp, parseTimestampLtz } from '../../common/datetime.js';
import { internalError, SqlError } from '../../common/errors.js';
import type { IntervalLiteral, Literal, TypedLiteral } from '../../parser/ast/expression.js';
import type { Span } from '../../parser/ast/node.js';
import type { BoundLiteral } from '../bound/expr.js';
import { MAX_DECIMAL_PRECISION } from '../functions/index.js';
import { literal } from './bound-utils.js';

const INT_MAX = 2_147_483_647;

/**
 * A number as written: integers are INT when they fit, then BIGINT (within the exact
 * range of runtime BIGINTs), then DECIMAL(p, 0); `1.50` is DECIMAL(3, 2); a number
 * with an exponent is DOUBLE (Flink's approximate literal).
 */
export function numberLiteral(text: string, negative: boolean, span: Span | undefined): BoundLiteral {
  const signed = negative ? `-${text}` : text;
  if (/[eE]/.test(text)) return literal(Number(signed), Types.double);
  if (/^\d+$/.test(text)) {
    const n = Number(signed);
    if (Number.isSafeInteger(n)) {
      const fitsInt = negative ? -n <= INT_MAX + 1 : n <= INT_MAX;
      return literal(n, fitsInt ? Types.int : Types.bigint);
    }
  }
  const d = Decimal.parse(signed);
  if (d === undefined) throw new SqlError('22P02', `invalid input syntax for type numeric: "${signed}"`, positionAt(span));
  const digits = text.replace('.', '').replace(/^0+(?=\d)/, '').length;
  const precision = Math.max(digits, d.scale, 1);
  if (precision > MAX_DECIMAL_PRECISION) return literal(Number(signed), Types.double);
  return literal(d, { kind: 'DECIMAL', precision, scale: d.scale });
}

export function bindLiteral(lit: Literal): BoundLiteral {
  const v = lit.value;
  switch (v.type) {
    case 'null': return literal(null, Types.null);
    case 'boolean': return literal(v.value, Types.boolean);
    case 'number': return numberLiteral(v.text, false, lit.span);
    case 'string': return literal(v.value, Types.string);
    case 'bytes': return literal(Uint8Array.from(Buffer.from(v.hex, 'hex')), Types.bytes);
    default: {
      const unreachable: never = v;
      throw internalError(`unknown literal ${JSON.stringify(unreachable)}`);
    }
  }
}

/** `INTERVAL '5' SECOND`: microseconds (day-time) or months (year-month). */
export function bindIntervalLiteral(ast: IntervalLiteral): BoundLiteral {
  const parsed = withPosition(ast.span, () => parseIntervalLiteral(ast.value, ast.qualifier));
  return literal(ast.negative ? -parsed.value : parsed.value, parsed.type);
}

/** `DATE '2026-01-01'`, `TIME '10:00'`, `TIMESTAMP '...'`, `TIMESTAMP_LTZ '...'` (an instant; UTC unless a zone is written). */
export function bindTypedLiteral(ast: TypedLiteral): BoundLiteral {
  return withPosition(ast.span, () => {
    switch (ast.type) {
      case 'DATE':
        return literal(parseDate(ast.value), Types.date);
      case 'TIME':
        return literal(parseTime(ast.value), { kind: 'TIME', precision: fractionDigits(ast.value) });
      case 'TIMESTAMP':
        return literal(parseTimestamp(ast.value), { kind: 'TIMESTAMP', precision: fractionDigits(ast.value) });
      case 'TIMESTAMP_LTZ':
        return literal(parseTimestampLtz(ast.value), { kind: 'TIMESTAMP_LTZ', precision: fractionDigits(ast.value) });
      default: {
        const unreachable: never = ast.type;
        throw internalError(`unknown typed literal ${String(unreachable)}`);
      }
    }
  });
}

/** The precision a literal is written with, as Flink types `TIMESTAMP '... 10:00:00.123'` as TIMESTAMP(3). */
function fractionDigits(text: string): number {
  const m = /:\d{1,2}\.(\d+)/.exec(text);
  return m === null ? 0 : Math.min((m[1] as string).length, 9);
}

function positionAt(span: Span | undefined): { position?: number } {
  return span === undefined ? {} : { position: span.start + 1 };
}

/** Runs a parser of the expressions layer, giving its errors the literal's position. */
function withPosition<T>(span: Span | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof SqlError && e.position === undefined && span !== undefined) e.position = span.start + 1;
    throw e;
  }
}
