// Result formatting and the nosort / rowsort / valuesort comparison modes.

import { expect } from 'chai';
import { formatCell, formatRows, linesMatch, resultLines } from '../../bin/slt/compare.js';
import { INT, TEXT, fakeFormat } from './fake-engine.js';

describe('slt comparison', () => {
  it('writes NULL for null and (empty) for the empty string', () => {
    expect(formatCell(null, TEXT, fakeFormat)).to.equal('NULL');
    expect(formatCell('', TEXT, fakeFormat)).to.equal('(empty)');
    expect(formatCell('NULL', TEXT, fakeFormat)).to.equal('NULL');
    expect(formatCell(true, { kind: 'BOOLEAN' }, fakeFormat)).to.equal('t');
  });

  it('joins the values of a row with one space', () => {
    const cells = formatRows([[1, 'a b', null], [2, '', 'z']], [INT, TEXT, TEXT], fakeFormat);
    expect(resultLines(cells, 'nosort')).to.deep.equal(['1 a b NULL', '2 (empty) z']);
  });

  it('nosort keeps the order: the same rows in another order do not match', () => {
    const actual = resultLines([['2'], ['1']], 'nosort');
    expect(linesMatch(['2', '1'], actual, 'nosort')).to.equal(true);
    expect(linesMatch(['1', '2'], actual, 'nosort')).to.equal(false);
  });

  it('rowsort sorts rows on both sides but keeps each row whole', () => {
    const actual = resultLines([['b', '1'], ['a', '2']], 'rowsort');
    expect(actual).to.deep.equal(['a 2', 'b 1']);
    expect(linesMatch(['b 1', 'a 2'], actual, 'rowsort')).to.equal(true);
    expect(linesMatch(['b 2', 'a 1'], actual, 'rowsort')).to.equal(false);
  });

  it('rowsort still counts duplicates', () => {
    const actual = resultLines([['1'], ['1']], 'rowsort');
    expect(linesMatch(['1'], actual, 'rowsort')).to.equal(false);
    expect(linesMatch(['1', '1'], actual, 'rowsort')).to.equal(true);
  });

  it('valuesort sorts every value, one per line', () => {
    const actual = resultLines([['b', '1'], ['a', '2']], 'valuesort');
    expect(actual).to.deep.equal(['1', '2', 'a', 'b']);
    expect(linesMatch(['a', '2', 'b', '1'], actual, 'valuesort')).to.equal(true);
    expect(linesMatch(['a', '2', 'b'], actual, 'valuesort')).to.equal(false);
  });

  it('compares exactly: no trimming, no case folding, no numeric tolerance', () => {
    expect(linesMatch(['1.0'], ['1'], 'nosort')).to.equal(false);
    expect(linesMatch(['a '], ['a'], 'nosort')).to.equal(false);
    expect(linesMatch(['T'], ['t'], 'nosort')).to.equal(false);
    expect(linesMatch([], ['1'], 'nosort')).to.equal(false);
    expect(linesMatch([], [], 'rowsort')).to.equal(true);
  });
});
