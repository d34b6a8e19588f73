-- Query 0: pass-through.
-- Every bid, unchanged: what reading the source and writing the sink cost.

CREATE TABLE nexmark_q0 (
  auction BIGINT,
  bidder BIGINT,
  price BIGINT,
  date_time TIMESTAMP(3),
  extra VARCHAR
) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q0
SELECT auction, bidder, price, date_time, extra FROM bid;
