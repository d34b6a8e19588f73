// The SUBSCRIBE live view: changes applied to a multiset of rows, frames rendered and redrawn over each other.

import { expect } from 'chai';
import { ChangeMultiset, LiveScreen, renderLiveView } from '../../bin/repl/live-view.js';
import type { TableColumn } from '../../bin/format/table.js';

const columns: TableColumn[] = [{ name: 'auction', align: 'right' }, { name: 'bidder', align: 'left' }];

/** Applies batches of `op cells...` changes, as the stream delivers them. */
function applyAll(rows: ChangeMultiset, batches: readonly (readonly [string, string | null, string | null])[][]): string[][] {
  const frames: string[][] = [];
  for (const batch of batches) {
    for (const [op, ...cells] of batch) rows.apply(op, cells);
    frames.push(renderLiveView(columns, rows, { title: `after ${rows.changes}` }));
  }
  return frames;
}

describe('ChangeMultiset and renderLiveView', () => {
  it('shows the rows the changes add up to, one frame per batch', () => {
    const rows = new ChangeMultiset();
    const frames = applyAll(rows, [
      [['+I', '10', 'ann'], ['+I', '2', 'bob']],
      [['-U', '10', 'ann'], ['+U', '10', 'cy']],
      [['-D', '2', 'bob']],
    ]);
    expect(frames).to.deep.equal([
      ['after 2', ' auction | bidder ', '---------+--------', '       2 | bob', '      10 | ann', '(2 rows)'],
      ['after 4', ' auction | bidder ', '---------+--------', '       2 | bob', '      10 | cy', '(2 rows)'],
      ['after 5', ' auction | bidder ', '---------+--------', '      10 | cy', '(1 row)'],
    ]);
  });

  it('keeps duplicates as a multiset and ignores retractions of absent rows', () => {
    const rows = new ChangeMultiset();
    rows.apply('+I', ['1', 'x']);
    rows.apply('+I', ['1', 'x']);
    rows.apply('-D', ['1', 'x']);
    rows.apply('-D', ['7', 'never']);
    expect(rows.size).to.equal(1);
    expect(rows.unmatched).to.equal(1);
    rows.apply('+I', ['1', 'x']);
    expect(rows.rows(columns)).to.deep.equal([['1', 'x'], ['1', 'x']]);
  });

  it('sorts numbers by value and NULLs last, so rows keep their places', () => {
    const rows = new ChangeMultiset();
    for (const cells of [['10', 'a'], [null, 'b'], ['9', 'c'], ['9', null]] as const) rows.apply('+I', cells);
    expect(rows.rows(columns)).to.deep.equal([['9', 'c'], ['9', null], ['10', 'a'], [null, 'b']]);
  });

  it('fits the frame to the terminal: rows below the screen are counted, long lines cut', () => {
    const rows = new ChangeMultiset();
    for (let i = 1; i <= 10; i++) rows.apply('+I', [String(i), 'x'.repeat(i)]);
    const frame = renderLiveView(columns, rows, { title: 'title', width: 15, height: 8 });
    expect(frame).to.deep.equal([
      'title',
      ' auction | bid>',
      '---------+---->',
      '       1 | x',
      '       2 | xx',
      '       3 | xxx',
      '(10 rows, 7 be>',
    ]);
    expect(frame.length).to.be.lessThan(8);
  });
});

describe('LiveScreen', () => {
  it('draws the first frame as is, then moves up over the last frame and clears before each next one', () => {
    const screen = new LiveScreen();
    expect(screen.frame(['a', 'b'])).to.equal('\x1b[Ja\nb\n');
    expect(screen.frame(['c', 'd', 'e'])).to.equal('\x1b[2A\r\x1b[Jc\nd\ne\n');
    expect(screen.frame(['f'])).to.equal('\x1b[3A\r\x1b[Jf\n');
  });
});
