-- Query 6: average selling price by seller.
-- For each seller, the average winning price over their last 10 auctions (the
-- current one and the 9 before it, by time): the winning bids of query 4, then an
-- OVER aggregation that must follow the winners as they change. Flink cannot run
-- this query: its OVER aggregation does not take retractions.

CREATE TABLE nexmark_q6 (
  seller BIGINT,
  avg_price BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q6
SELECT Q.seller,
       AVG(Q.price) OVER (PARTITION BY Q.seller ORDER BY Q.date_time ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
FROM (
  SELECT id, seller, price, date_time
  FROM (
    SELECT A.id, A.seller, B.price, B.date_time,
           ROW_NUMBER() OVER (PARTITION BY A.id, A.seller ORDER BY B.price DESC, B.date_time ASC) AS rownum
    FROM auction AS A, bid AS B
    WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
  )
  WHERE rownum <= 1
) AS Q;
