// Backslash commands parsed from a line, and psql-style name patterns.

import { expect } from 'chai';
import { matchesPattern, parseMetaCommand } from '../../bin/repl/meta-command.js';

describe('parseMetaCommand', () => {
  it('reads the listing commands, with and without a pattern', () => {
    expect(parseMetaCommand('\\d')).to.deep.equal({ kind: 'list', relationKinds: ['TABLE', 'VIEW', 'MATERIALIZED VIEW'], pattern: undefined });
    expect(parseMetaCommand('\\dt')).to.deep.equal({ kind: 'list', relationKinds: ['TABLE'], pattern: undefined });
    expect(parseMetaCommand('\\dv')).to.deep.equal({ kind: 'list', relationKinds: ['VIEW'], pattern: undefined });
    expect(parseMetaCommand('\\dm b*')).to.deep.equal({ kind: 'list', relationKinds: ['MATERIALIZED VIEW'], pattern: 'b*' });
    expect(parseMetaCommand('\\d bid*')).to.deep.equal({ kind: 'list', relationKinds: ['TABLE', 'VIEW', 'MATERIALIZED VIEW'], pattern: 'bid*' });
    expect(parseMetaCommand('\\dS')).to.deep.equal({ kind: 'list', relationKinds: ['SYSTEM TABLE'], pattern: undefined });
  });

  it('reads \\d NAME as a description, refusing what is not a name', () => {
    expect(parseMetaCommand('\\d bids')).to.deep.equal({ kind: 'describe', name: 'bids' });
    expect(parseMetaCommand('  \\d   "My Table"  ')).to.deep.equal({ kind: 'describe', name: '"My Table"' });
    expect(parseMetaCommand('\\d t; DROP TABLE t').kind).to.equal('invalid');
  });

  it('reads \\timing, \\i, \\r, \\? and \\q', () => {
    expect(parseMetaCommand('\\timing')).to.deep.equal({ kind: 'timing', on: undefined });
    expect(parseMetaCommand('\\timing ON')).to.deep.equal({ kind: 'timing', on: true });
    expect(parseMetaCommand('\\timing off')).to.deep.equal({ kind: 'timing', on: false });
    expect(parseMetaCommand('\\timing maybe').kind).to.equal('invalid');
    expect(parseMetaCommand("\\i 'my file.sql'")).to.deep.equal({ kind: 'include', file: 'my file.sql', relative: false });
    expect(parseMetaCommand('\\ir setup.sql')).to.deep.equal({ kind: 'include', file: 'setup.sql', relative: true });
    expect(parseMetaCommand('\\i')).to.deep.equal({ kind: 'invalid', message: '\\i: missing required argument' });
    expect(parseMetaCommand('\\r')).to.deep.equal({ kind: 'reset' });
    expect(parseMetaCommand('\\?')).to.deep.equal({ kind: 'help' });
    expect(parseMetaCommand('\\q')).to.deep.equal({ kind: 'quit' });
  });

  it('names an unknown command as psql does', () => {
    expect(parseMetaCommand('\\frobnicate x')).to.deep.equal({ kind: 'invalid', message: 'invalid command \\frobnicate' });
  });
});

describe('matchesPattern', () => {
  it('matches * and ? case-insensitively, and quoted patterns exactly', () => {
    expect(matchesPattern('bids', 'bid*')).to.equal(true);
    expect(matchesPattern('bids', 'BI?S')).to.equal(true);
    expect(matchesPattern('bids', 'b')).to.equal(false);
    expect(matchesPattern('a.b', 'a.b')).to.equal(true);
    expect(matchesPattern('axb', 'a.b')).to.equal(false);
    expect(matchesPattern('Mixed', '"Mixed"')).to.equal(true);
    expect(matchesPattern('Mixed', 'Mixed')).to.equal(false);
  });
});
