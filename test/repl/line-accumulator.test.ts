// The REPL's line accumulator: statements end at a top-level `;`, backslash commands only outside quotes and comments.

import { expect } from 'chai';
import { endsAtTopLevel, LineAccumulator, type ReplInput } from '../../bin/repl/line-accumulator.js';

function feed(lines: readonly string[]): { inputs: ReplInput[]; acc: LineAccumulator } {
  const acc = new LineAccumulator();
  const inputs = lines.flatMap((l) => acc.push(l));
  return { inputs, acc };
}

describe('LineAccumulator', () => {
  it('completes a statement typed over several lines at its semicolon', () => {
    const acc = new LineAccumulator();
    expect(acc.push('SELECT a,')).to.deep.equal([]);
    expect(acc.pending).to.equal(true);
    expect(acc.push('  b')).to.deep.equal([]);
    expect(acc.push('FROM t;')).to.deep.equal([{ kind: 'sql', text: 'SELECT a,\n  b\nFROM t', line: 1 }]);
    expect(acc.pending).to.equal(false);
  });

  it('splits several statements on one line and keeps the unfinished rest', () => {
    const { inputs, acc } = feed(['SELECT 1; SELECT 2;  SELECT', '3;']);
    expect(inputs).to.deep.equal([
      { kind: 'sql', text: 'SELECT 1', line: 1 },
      { kind: 'sql', text: 'SELECT 2', line: 1 },
      { kind: 'sql', text: 'SELECT\n3', line: 1 },
    ]);
    expect(acc.pending).to.equal(false);
  });

  it('does not end a statement at a semicolon inside a string, a quoted identifier, a dollar quote or a comment', () => {
    const { inputs, acc } = feed(["SELECT 'a;b', \"c;d\", $$e;f$$ -- g;", '/* h; */ FROM t', ';']);
    expect(inputs).to.deep.equal([{ kind: 'sql', text: "SELECT 'a;b', \"c;d\", $$e;f$$ -- g;\n/* h; */ FROM t", line: 1 }]);
    expect(acc.pending).to.equal(false);
  });

  it('keeps going while a string spans lines', () => {
    const acc = new LineAccumulator();
    expect(acc.push("INSERT INTO t VALUES ('line one;")).to.deep.equal([]);
    expect(acc.push("line two');")).to.deep.equal([{ kind: 'sql', text: "INSERT INTO t VALUES ('line one;\nline two')", line: 1 }]);
  });

  it('drops blank lines and lone comments between statements, but not an open block comment', () => {
    const acc = new LineAccumulator();
    expect(acc.push('')).to.deep.equal([]);
    expect(acc.push('-- a note')).to.deep.equal([]);
    expect(acc.pending).to.equal(false);
    expect(acc.push('/* starts here;')).to.deep.equal([]);
    expect(acc.pending).to.equal(true);
    expect(acc.push('ends here */')).to.deep.equal([]);
    expect(acc.pending).to.equal(false);
  });

  it('reads a backslash command at top level, also after SQL on the same line', () => {
    const { inputs } = feed(['\\d t', 'SELECT 1; \\timing', 'SELECT 2 \\q']);
    expect(inputs).to.deep.equal([
      { kind: 'meta', text: '\\d t', line: 1 },
      { kind: 'sql', text: 'SELECT 1', line: 2 },
      { kind: 'meta', text: '\\timing', line: 2 },
      { kind: 'meta', text: '\\q', line: 3 },
    ]);
  });

  it('treats a backslash in a line comment as text', () => {
    const { inputs } = feed(['SELECT 1 -- see \\d', ';']);
    expect(inputs).to.deep.equal([{ kind: 'sql', text: 'SELECT 1 -- see \\d', line: 1 }]);
  });

  it('treats a backslash inside a string as text', () => {
    const { inputs, acc } = feed(["SELECT E'a", "\\d';"]);
    expect(inputs).to.deep.equal([{ kind: 'sql', text: "SELECT E'a\n\\d'", line: 1 }]);
    expect(acc.pending).to.equal(false);
  });

  it('keeps an unfinished statement across a command line, with line numbers intact', () => {
    const { inputs } = feed(['SELECT 1,', '\\timing', '2;']);
    expect(inputs).to.deep.equal([
      { kind: 'meta', text: '\\timing', line: 2 },
      { kind: 'sql', text: 'SELECT 1,\n\n2', line: 1 },
    ]);
  });

  it('numbers statements by the line they start on', () => {
    const { inputs } = feed(['SELECT 1;', '', '-- c', '  SELECT', '2; SELECT 3;']);
    expect(inputs.map((i) => i.line)).to.deep.equal([1, 4, 5]);
  });

  it('hands over the unterminated last statement at the end of input, and forgets it on reset', () => {
    const acc = new LineAccumulator();
    acc.push('SELECT 1');
    expect(acc.finish()).to.deep.equal([{ kind: 'sql', text: 'SELECT 1', line: 1 }]);
    acc.push('SELECT 2');
    acc.reset();
    expect(acc.pending).to.equal(false);
    expect(acc.finish()).to.deep.equal([]);
  });
});

describe('endsAtTopLevel', () => {
  it('tells whether text ends outside quotes and comments', () => {
    expect(endsAtTopLevel('')).to.equal(true);
    expect(endsAtTopLevel('SELECT 1')).to.equal(true);
    expect(endsAtTopLevel("SELECT 'a")).to.equal(false);
    expect(endsAtTopLevel('SELECT "a')).to.equal(false);
    expect(endsAtTopLevel('SELECT $x$ a')).to.equal(false);
    expect(endsAtTopLevel('SELECT /* a /* b */')).to.equal(false);
    expect(endsAtTopLevel('SELECT /* a /* b */ */')).to.equal(true);
    expect(endsAtTopLevel('SELECT 1 -- note')).to.equal(false);
    expect(endsAtTopLevel('SELECT 1 -- note\n')).to.equal(true);
    expect(endsAtTopLevel("SELECT 'it''s'")).to.equal(true);
  });
});
