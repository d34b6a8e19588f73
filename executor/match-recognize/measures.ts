// The rows a match produces: ONE ROW PER MATCH (measures over the whole match) or ALL ROWS PER MATCH (measures running up to each row), and unmatched rows.

import type { Row, Value } from '../../common/value.js';
import type { RowsPerMatch } from '../../planner/logical/match-recognize.js';
import type { MatchAggregate, MatchEnv, MatchEvaluator, RowSetTable } from './expressions.js';
import type { MatchEvent, PartitionRecord } from './matcher.js';
import { rowAt } from './matcher.js';

export interface MatchOutputSpec {
  readonly rowsPerMatch: RowsPerMatch;
  /** The output row: a non-negative entry is an input column, -(i + 1) is measure i. */
  readonly layout: readonly number[];
  readonly measures: readonly MatchEvaluator[];
  readonly sets: RowSetTable;
  readonly aggregates: readonly MatchAggregate[];
  /** Whether some aggregate is read with FINAL semantics (ALL ROWS then needs the whole match first). */
  readonly finalAggregates: boolean;
  readonly variableNames: readonly string[];
  readonly timeIndex: number;
  /** Measures that are MATCH_ROWTIME() itself: an unmatched row gets its own time there, as the output's event time. */
  readonly rowtimeMeasures: readonly number[];
}

/** Evaluates measures over found matches; it is the MatchEnv the measures read. */
export class MatchOutput implements MatchEnv {
  private readonly setsOfVariable: number[][];
  private readonly allRows: boolean;
  private readonly measureValues: Value[];

  // The match at hand.
  private rec!: PartitionRecord;
  private start = 0;
  private end = 0;
  private labels = '';
  private current = 0;
  private number = 0;
  private positions: number[][] = [];
  private counts: number[] = [];
  private running: unknown[] = [];
  private finals: Value[] = [];

  constructor(private readonly spec: MatchOutputSpec) {
    this.setsOfVariable = spec.sets.setsOfVariable(spec.variableNames.length);
    this.allRows = spec.rowsPerMatch !== 'ONE ROW';
    this.measureValues = new Array<Value>(spec.measures.length);
  }

  /** Appends the output rows of `event` to `out`. */
  rowsOf(event: MatchEvent, rec: PartitionRecord, out: Row[]): void {
    this.rec = rec;
    if (event.kind === 'unmatched') {
      if (this.spec.rowsPerMatch !== 'ALL ROWS WITH UNMATCHED') return;
      const row = rowAt(rec, event.pos) as Row;
      this.measureValues.fill(null);
      for (const i of this.spec.rowtimeMeasures) this.measureValues[i] = row[this.spec.timeIndex] as Value;
      out.push(this.assemble(row));
      return;
    }
    this.start = event.start;
    this.end = event.end;
    this.labels = event.labels;
    this.number = event.number;
    const spec = this.spec;
    const nsets = spec.sets.sets.length;
    this.positions = Array.from({ length: nsets }, () => []);
    for (let i = 0; i < event.labels.length; i++) {
      for (const s of this.setsOfVariable[event.labels.charCodeAt(i) >> 1] as number[]) (this.positions[s] as number[]).push(event.start + i);
    }
    this.counts = new Array<number>(nsets).fill(0);
    this.running = spec.aggregates.map((a) => a.accumulator.create());
    if (event.end === event.start) {
      // An empty match: measures over no rows, shown on its starting row.
      if (spec.rowsPerMatch === 'ALL ROWS OMIT EMPTY') return;
      this.current = event.start - 1;
      this.finals = spec.aggregates.map((a, i) => a.accumulator.result(this.running, i, ''));
      this.evaluate();
      out.push(this.assemble(rowAt(rec, event.start) as Row));
      return;
    }
    if (this.allRows && spec.finalAggregates) this.finals = this.finalAggregates();
    for (let p = event.start; p < event.end; p++) {
      this.current = p;
      const code = event.labels.charCodeAt(p - event.start);
      const row = rowAt(rec, p) as Row;
      for (const s of this.setsOfVariable[code >> 1] as number[]) (this.counts[s] as number)++;
      spec.aggregates.forEach((a, i) => {
        if (a.set < 0 || this.setsOfVariable[code >> 1]?.includes(a.set)) a.accumulator.update(this.running, i, a.argumentRow(row), 1, '');
      });
      if (!this.allRows || (code & 1) === 1) continue; // excluded rows are not output
      this.evaluate();
      out.push(this.assemble(row));
    }
    if (!this.allRows) {
      this.finals = spec.aggregates.map((a, i) => a.accumulator.result(this.running, i, ''));
      this.evaluate();
      out.push(this.assemble(rowAt(rec, event.start) as Row));
    }
  }

  private finalAggregates(): Value[] {
    const records = this.spec.aggregates.map((a) => a.accumulator.create());
    for (let p = this.start; p < this.end; p++) {
      const v = this.labels.charCodeAt(p - this.start) >> 1;
      const row = rowAt(this.rec, p) as Row;
      this.spec.aggregates.forEach((a, i) => {
        if (a.set < 0 || this.setsOfVariable[v]?.includes(a.set)) a.accumulator.update(records, i, a.argumentRow(row), 1, '');
      });
    }
    return this.spec.aggregates.map((a, i) => a.accumulator.result(records, i, ''));
  }

  private evaluate(): void {
    const m = this.spec.measures;
    for (let i = 0; i < m.length; i++) this.measureValues[i] = (m[i] as MatchEvaluator)(this);
  }

  private assemble(row: Row): Row {
    const layout = this.spec.layout;
    const out = new Array<Value>(layout.length);
    for (let i = 0; i < layout.length; i++) {
      const c = layout[i] as number;
      out[i] = c >= 0 ? (row[c] as Value) : (this.measureValues[-c - 1] as Value);
    }
    return out;
  }

  // ---- MatchEnv

  position(set: number, fromLast: boolean, offset: number, final: boolean): number {
    if (set < 0) {
      const hi = final ? this.end - 1 : this.current;
      const p = fromLast ? hi - offset : this.start + offset;
      return p >= this.start && p <= hi ? p : -1;
    }
    const arr = this.positions[set] as number[];
    const n = final ? arr.length : (this.counts[set] as number);
    const i = fromLast ? n - 1 - offset : offset;
    return i >= 0 && i < n ? (arr[i] as number) : -1;
  }

  row(pos: number): Row | undefined {
    return rowAt(this.rec, pos);
  }

  aggregate(index: number, final: boolean): Value {
    if (final && this.allRows) return this.finals[index] as Value;
    return (this.spec.aggregates[index] as MatchAggregate).accumulator.result(this.running, index, '');
  }

  classifier(set: number, final: boolean): Value {
    const p = set < 0 ? (final ? this.end - 1 : this.current) : this.position(set, true, 0, final);
    if (p < this.start || p >= this.end) return null;
    return this.spec.variableNames[this.labels.charCodeAt(p - this.start) >> 1] ?? null;
  }

  get matchNumber(): number {
    return this.number;
  }

  get matchRowtime(): Value {
    const last = this.end > this.start ? this.end - 1 : this.start;
    return (rowAt(this.rec, last) as Row)[this.spec.timeIndex] as Value;
  }
}
