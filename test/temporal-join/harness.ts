// Test harness for the temporal join operators: two inputs fed as text changelogs, watermarks pushed by hand, late rows caught.

import type { Row } from '../../common/value.js';
import { ChangeBatch, type ChangeKind } from '../../executor/change.js';
import type { StreamOperator } from '../../executor/operator.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import { formatChanges, formatRow, parseChanges, type Change } from '../operators/harness.js';

export interface LateRecord {
  readonly input: number;
  readonly row: Row;
  readonly time: number | null;
  readonly watermark: number;
}

/**
 * Runs one operator on a value-copying memory backend (a missing `put` shows up as a
 * wrong result), recording what it emits, the watermarks it forwards and the rows it
 * reports late.
 *
 * @example
 *   const h = new TimedHarness(new TemporalJoin(options));
 *   h.right('+I EUR 2 900');
 *   h.left('+I o1 EUR 930');
 *   expect(h.watermark(1000, 0) + h.watermark(1000, 1)).to.equal(...);
 */
export class TimedHarness {
  readonly backend = new MemoryStateBackend({ copyValues: true });
  readonly output: Change[] = [];
  readonly watermarks: number[] = [];
  readonly late: LateRecord[] = [];
  private current: StreamOperator;

  constructor(operator: StreamOperator, private readonly now: () => number = () => 0) {
    this.current = operator;
    this.open();
  }

  private open(): void {
    const { output, watermarks, late } = this;
    this.current.open({
      state: this.backend.forOperator('test/op'),
      now: this.now,
      output: {
        emit(batch: ChangeBatch): void {
          for (let i = 0; i < batch.length; i++) output.push([batch.kinds[i] as ChangeKind, batch.rows[i] as Row]);
        },
        emitWatermark(w: number): void {
          watermarks.push(w);
        },
      },
      lateRow: (input, row, time, watermark) => late.push({ input, row, time, watermark }),
    });
  }

  /** Closes the operator and opens `fresh` on the same state, as recovery does. */
  restart(fresh: StreamOperator): void {
    this.current.snapshot(1);
    this.current.close();
    this.current = fresh;
    this.open();
  }

  /** Feeds a text changelog into input 0; returns what was emitted meanwhile, as text. */
  left(text: string): string {
    return this.feed(text, 0);
  }

  right(text: string): string {
    return this.feed(text, 1);
  }

  feed(text: string, input: number): string {
    const before = this.output.length;
    this.current.processBatch(input, ChangeBatch.of(parseChanges(text)));
    return formatChanges(this.output.slice(before));
  }

  /** Pushes a watermark into `input`; returns what was emitted meanwhile, as text. */
  watermark(w: number, input: number): string {
    const before = this.output.length;
    this.current.processWatermark(input, w);
    return formatChanges(this.output.slice(before));
  }

  /** Both inputs' watermarks to `w`; what was emitted, as text. */
  both(w: number): string {
    const a = this.watermark(w, 0);
    const b = this.watermark(w, 1);
    return [a, b].filter((s) => s !== '').join('\n');
  }

  lateText(): string {
    return this.late.map((l) => `${l.input} ${formatRow(l.row)} @${l.time ?? 'NULL'} < ${l.watermark}`).join('\n');
  }

  stateKeys(): number {
    return this.backend.forOperator('test/op').stats().keys;
  }
}

export type { Change };
