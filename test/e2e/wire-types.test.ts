// Binary wire formats of values: round trips through the encoder and decoder,
// PostgreSQL's exact bytes for numeric, and binary parameters of every common type.

import { expect } from 'chai';
import { serialize } from 'pg-protocol';
import type { DataType } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import type { Value } from '../../common/value.js';
import { coerceValue, decodeBinary, encodeBinary, Oid, typeOid } from '../../server/types.js';
import { RawClient, rows, startTestServer, type TestServer } from './harness.js';

describe('e2e: wire types', function () {
  this.timeout(20_000);

  it('round-trips binary values of the common types', () => {
    const cases: [DataType, Value][] = [
      [{ kind: 'BOOLEAN' }, true], [{ kind: 'SMALLINT' }, -7], [{ kind: 'INT' }, 2_000_000_000],
      [{ kind: 'BIGINT' }, 9_007_199_254_740_991], [{ kind: 'FLOAT' }, 0.5], [{ kind: 'DOUBLE' }, -1.25e300],
      [{ kind: 'DECIMAL', precision: 20, scale: 3 }, new Decimal(-123456789012n, 3)],
      [{ kind: 'DECIMAL', precision: 10, scale: 0 }, new Decimal(0n, 0)],
      [{ kind: 'DATE' }, 20_000], [{ kind: 'TIME', precision: 6 }, 3_600_000_001],
      [{ kind: 'TIMESTAMP', precision: 6 }, 1_767_225_600_123_456], [{ kind: 'TIMESTAMP_LTZ', precision: 6 }, -5],
      [{ kind: 'BYTES' }, new Uint8Array([0, 255, 16])], [{ kind: 'VARCHAR', length: null }, 'héllo'],
    ];
    for (const [type, value] of cases) {
      const decoded = decodeBinary(encodeBinary(value, type), typeOid(type));
      expect(coerceValue(decoded.value, decoded.type, type), type.kind).to.deep.equal(value);
    }
  });

  it('encodes numeric as PostgreSQL does', () => {
    const hex = (d: Decimal, scale: number): string => encodeBinary(d, { kind: 'DECIMAL', precision: 38, scale }).toString('hex');
    expect(hex(new Decimal(125n, 2), 2)).to.equal('0002000000000002000109c4');
    expect(hex(new Decimal(10000n, 0), 0)).to.equal('00010001000000000001');
    expect(hex(new Decimal(1n, 4), 4)).to.equal('0001ffff000000040001');
    expect(hex(new Decimal(-123456789n, 3), 3)).to.equal('0003000140000003000c0d801ed2');
  });

  describe('binary parameters', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer();
    });
    after(() => s.close());

    it('decodes each declared type', async () => {
      const c = await RawClient.connect(s.port);
      await c.startup();
      const ts = Buffer.alloc(8);
      ts.writeBigInt64BE(BigInt(Date.UTC(2026, 0, 2, 3, 4, 5) - Date.UTC(2000, 0, 1)) * 1000n);
      const date = Buffer.alloc(4);
      date.writeInt32BE(9498);
      const f8 = Buffer.alloc(8);
      f8.writeDoubleBE(2.5);
      const from = c.messages.length;
      c.write(Buffer.concat([
        serialize.parse({
          text: 'SELECT CAST($1 AS STRING), CAST($2 AS STRING), CAST($3 AS STRING), $4 * 2, $5, NOT $6',
          types: [Oid.timestamp, Oid.numeric, Oid.date, Oid.float8, Oid.bytea, Oid.bool],
        }),
        serialize.bind({ values: [ts, encodeBinary(new Decimal(1999n, 2), { kind: 'DECIMAL', precision: 10, scale: 2 }), date, f8, Buffer.from([1, 2]), Buffer.from([0])] }),
        serialize.execute({}),
        serialize.sync(),
      ]));
      const m = await c.untilReady(from);
      expect(m.find((x) => x.name === 'error')).to.equal(undefined);
      expect(rows(m)).to.deep.equal([['2026-01-02 03:04:05', '19.99', '2026-01-02', '5', '\\x0102', 't']]);
      c.close();
    });
  });
});
