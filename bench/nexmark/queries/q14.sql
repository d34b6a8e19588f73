-- Query 14: calculation.
-- Bids in a price range, with the time of day they were placed and how many 'c'
-- characters their extra holds (Flink's count_char user function, here a SQL
-- expression): several expressions over every row.

CREATE TABLE nexmark_q14 (
  auction BIGINT,
  bidder BIGINT,
  price DECIMAL(23, 3),
  bid_time_type VARCHAR,
  date_time TIMESTAMP(3),
  extra VARCHAR,
  c_counts BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q14
SELECT auction,
       bidder,
       0.908 * price AS price,
       CASE
         WHEN HOUR(date_time) >= 8 AND HOUR(date_time) <= 18 THEN 'dayTime'
         WHEN HOUR(date_time) <= 6 OR HOUR(date_time) >= 20 THEN 'nightTime'
         ELSE 'otherTime'
       END AS bid_time_type,
       date_time,
       extra,
       CHAR_LENGTH(extra) - CHAR_LENGTH(REPLACE(extra, 'c', '')) AS c_counts
FROM bid
WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
