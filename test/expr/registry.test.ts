// Function and type registry: resolution of operators, functions, aggregates and type rules.

import { expect } from 'chai';
import type { DataType } from '../../common/data-type.js';
import { Types, typeToSql } from '../../common/data-type.js';
import { functionTable } from '../../executor/expr/functions/index.js';
import {
  canonicalFunctionName, overloadFunctionNames,
  canCast, canImplicitlyCast, commonSupertype, dataTypeFromTypeName, functionNames, isAggregateFunction,
  resolveAggregate, resolveScalarFunction,
} from '../../planner/functions/index.js';

const dec = (precision: number, scale: number): DataType => ({ kind: 'DECIMAL', precision, scale });
const sql = (t: DataType | undefined) => (t === undefined ? undefined : typeToSql(t));

describe('function registry', () => {
  it('resolves integer arithmetic to the wider type', () => {
    const r = resolveScalarFunction('+', [Types.int, Types.bigint])!;
    expect(r.fn).to.equal('+');
    expect(sql(r.returnType)).to.equal('BIGINT');
    expect(r.argTypes.map(sql)).to.deep.equal(['BIGINT', 'BIGINT']);
  });

  it('resolves decimal arithmetic with Flink precision rules', () => {
    expect(sql(resolveScalarFunction('+', [dec(5, 2), Types.int])!.returnType)).to.equal('DECIMAL(13, 2)');
    expect(sql(resolveScalarFunction('*', [dec(5, 2), dec(4, 1)])!.returnType)).to.equal('DECIMAL(10, 3)');
    expect(sql(resolveScalarFunction('/', [dec(5, 2), dec(4, 1)])!.returnType)).to.equal('DECIMAL(11, 7)');
    expect(sql(resolveScalarFunction('+', [dec(5, 2), Types.double])!.returnType)).to.equal('DOUBLE');
  });

  it('resolves date and interval arithmetic under their own names', () => {
    const ts = Types.timestamp3;
    expect(resolveScalarFunction('+', [ts, Types.intervalDayTime])!.fn).to.equal('datetime_plus_interval');
    expect(resolveScalarFunction('+', [Types.intervalDayTime, ts])!.fn).to.equal('interval_plus_datetime');
    const diff = resolveScalarFunction('-', [ts, ts])!;
    expect(diff.fn).to.equal('timestamp_diff');
    expect(diff.returnType.kind).to.equal('INTERVAL_DAY_TIME');
    expect(resolveScalarFunction('-', [Types.date, Types.date])!.returnType.kind).to.equal('INT');
    expect(resolveScalarFunction('*', [Types.intervalYearMonth, Types.int])!.fn).to.equal('interval_multiply');
  });

  it('compares a string with a date by casting the string', () => {
    const r = resolveScalarFunction('<', [Types.string, Types.date])!;
    expect(r.argTypes.map(sql)).to.deep.equal(['DATE', 'DATE']);
    expect(resolveScalarFunction('=', [Types.boolean, Types.bytes])).to.equal(undefined);
  });

  it('resolves aliases to canonical names', () => {
    expect(resolveScalarFunction('substr', [Types.string, Types.int])!.fn).to.equal('substring');
    expect(resolveScalarFunction('nvl', [Types.int, Types.bigint])!.fn).to.equal('coalesce');
    expect(resolveScalarFunction('year', [Types.date])!.fn).to.equal('extract_year');
    expect(resolveScalarFunction('nope', [])).to.equal(undefined);
  });

  it('narrows ROUND of a decimal by a constant scale', () => {
    expect(sql(resolveScalarFunction('round', [dec(10, 4), Types.int], [undefined, 2])!.returnType)).to.equal('DECIMAL(9, 2)');
    expect(sql(resolveScalarFunction('round', [dec(10, 4)])!.returnType)).to.equal('DECIMAL(7, 0)');
  });

  it('marks non-deterministic functions', () => {
    expect(resolveScalarFunction('rand', [])!.deterministic).to.equal(false);
    expect(resolveScalarFunction('now', [])!.deterministic).to.equal(false);
    expect(resolveScalarFunction('upper', [Types.string])!.deterministic).to.equal(true);
  });

  it('resolves aggregates', () => {
    expect(sql(resolveAggregate('sum', [Types.int], false)!.returnType)).to.equal('BIGINT');
    expect(sql(resolveAggregate('sum', [dec(10, 2)], false)!.returnType)).to.equal('DECIMAL(38, 2)');
    expect(sql(resolveAggregate('avg', [Types.int], false)!.returnType)).to.equal('DOUBLE');
    expect(sql(resolveAggregate('avg', [dec(10, 2)], false)!.returnType)).to.equal('DECIMAL(38, 6)');
    expect(resolveAggregate('count', [], false)!.fn).to.equal('count_star');
    expect(resolveAggregate('string_agg', [Types.string, Types.string], false)!.fn).to.equal('listagg');
    expect(resolveAggregate('stddev', [Types.int], false)!.fn).to.equal('stddev_samp');
    expect(isAggregateFunction('count')).to.equal(true);
    expect(isAggregateFunction('upper')).to.equal(false);
    expect(functionNames()).to.include('upper').and.include('string_agg');
  });

  it('finds common supertypes', () => {
    expect(sql(commonSupertype([Types.int, Types.bigint]))).to.equal('BIGINT');
    expect(sql(commonSupertype([Types.int, dec(5, 2)]))).to.equal('DECIMAL(12, 2)');
    expect(sql(commonSupertype([Types.null, Types.string]))).to.equal('STRING');
    expect(sql(commonSupertype([Types.date, Types.timestamp3]))).to.equal('TIMESTAMP(3)');
    expect(commonSupertype([Types.int, Types.string])).to.equal(undefined);
  });

  it('knows implicit and explicit casts', () => {
    expect(canImplicitlyCast(Types.int, Types.bigint)).to.equal(true);
    expect(canImplicitlyCast(Types.bigint, Types.int)).to.equal(false);
    expect(canImplicitlyCast(Types.int, Types.string)).to.equal(false);
    expect(canCast(Types.int, Types.string)).to.equal(true);
    expect(canCast(Types.string, Types.date)).to.equal(true);
    expect(canCast(Types.date, Types.int)).to.equal(false);
  });

  it('maps type names', () => {
    const tn = (name: string, args: number[] = []) => sql(dataTypeFromTypeName({ kind: 'TypeName', name, args }));
    expect(tn('INTEGER')).to.equal('INT');
    expect(tn('TEXT')).to.equal('STRING');
    expect(tn('NUMERIC')).to.equal('DECIMAL(38, 18)');
    expect(tn('NUMERIC', [10, 2])).to.equal('DECIMAL(10, 2)');
    expect(tn('TIMESTAMP')).to.equal('TIMESTAMP(6)');
    expect(tn('REAL')).to.equal('FLOAT');
    expect(() => tn('FOO')).to.throw().with.property('sqlstate', '42704');
  });

  it('has a runtime implementation for every scalar name it can resolve to', () => {
    const table = functionTable();
    const missing: string[] = [];
    for (const n of functionNames()) {
      const c = canonicalFunctionName(n);
      if (c !== undefined && !table.has(c)) missing.push(n);
    }
    for (const n of overloadFunctionNames) if (!table.has(n)) missing.push(n);
    expect(missing).to.deep.equal([]);
  });
});
