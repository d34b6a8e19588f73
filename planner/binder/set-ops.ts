// UNION / INTERSECT / EXCEPT [ALL]: column counts checked, column types unified to their common supertype.

import { internalError } from '../../common/errors.js';
import type { DataType, Field, Schema } from '../../common/data-type.js';
import type { QueryBody, SetOperation } from '../../parser/ast/query.js';
import type { LogicalPlan } from '../logical/index.js';
import { aggregate } from '../logical/aggregate.js';
import { project } from '../logical/project.js';
import { setOp } from '../logical/set-op.js';
import { union } from '../logical/union.js';
import { fieldFor, inputRef } from './bound-utils.js';
import { castTo, unifiedType } from './coercion.js';
import type { BoundRelation, QueryLevel } from './context.js';
import { syntaxMisuse } from './errors-hints.js';

export function bindSetOperation(
  op: SetOperation,
  level: QueryLevel,
  bindBody: (body: QueryBody, level: QueryLevel) => BoundRelation,
): BoundRelation {
  const l = bindBody(op.left, level);
  const r = bindBody(op.right, level);
  const ls = l.plan.schema;
  const rs = r.plan.schema;
  if (ls.length !== rs.length) throw syntaxMisuse(`each ${op.op} query must have the same number of columns`, op.right.span ?? op.span);
  const types = ls.map((f, i) => unifiedType([f.type, (rs[i] as Field).type], op.op, op.right.span ?? op.span));
  const left = castColumns(l.plan, types);
  const right = castColumns(r.plan, types);
  const schema: Schema = ls.map((f, i): Field => {
    const g = rs[i] as Field;
    const nullable = op.op === 'UNION' ? f.nullable || g.nullable : op.op === 'INTERSECT' ? f.nullable && g.nullable : f.nullable;
    const base: Field = { name: l.names[i] ?? f.name, type: types[i] as DataType, nullable };
    return f.timeAttribute !== undefined && f.timeAttribute === g.timeAttribute && op.all ? { ...base, timeAttribute: f.timeAttribute } : base;
  });
  let plan: LogicalPlan;
  switch (op.op) {
    case 'UNION': {
      // UNION ALL is associative: nested ones become one Union with all the inputs.
      const inputs = [left, right].flatMap((p) => (p.kind === 'Union' ? p.inputs : [p]));
      const all = union(inputs, schema);
      plan = op.all ? all : aggregate(all, schema.map((_, i) => i), [], schema.map(({ name, type, nullable }) => ({ name, type, nullable })));
      break;
    }
    case 'INTERSECT':
    case 'EXCEPT':
      plan = setOp(op.op, op.all, left, right, schema);
      break;
    default: {
      const unreachable: never = op.op;
      throw internalError(`unknown set operation ${String(unreachable)}`);
    }
  }
  return { plan, names: l.names };
}

/** `plan` with its columns cast to `types`, through a Project only when some column changes. */
export function castColumns(plan: LogicalPlan, types: readonly DataType[]): LogicalPlan {
  const s = plan.schema;
  const exprs = s.map((_, i) => castTo(inputRef(i, s), types[i] as DataType));
  if (exprs.every((e) => e.kind === 'InputRef')) return plan;
  return project(plan, exprs, exprs.map((e, i) => fieldFor((s[i] as Field).name, e, s)));
}
