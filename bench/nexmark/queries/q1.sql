-- Query 1: currency conversion.
-- Each bid's price converted from dollars to euros: a projection with arithmetic.

CREATE TABLE nexmark_q1 (
  auction BIGINT,
  bidder BIGINT,
  price DECIMAL(23, 3),
  date_time TIMESTAMP(3),
  extra VARCHAR
) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q1
SELECT auction, bidder, 0.908 * price AS price, date_time, extra
FROM bid;
