-- Query 6: average selling price by seller.
-- For each seller, the average price of their last 10 closed auctions (by the time of
-- the winning bid): the winning bids of query 4, then a top-10 per seller over those
-- winners as they change, then an average. Flink cannot run its version of this
-- query (an OVER aggregation over the winners, which retract); this one keeps the
-- query's meaning, one average per seller, and every operator takes the retractions.

CREATE TABLE nexmark_q6 (
  seller BIGINT,
  avg_price BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q6
SELECT seller, AVG(price) AS avg_price
FROM (
  SELECT seller, price,
         ROW_NUMBER() OVER (PARTITION BY seller ORDER BY date_time DESC, id DESC) AS recent
  FROM (
    SELECT id, seller, price, date_time
    FROM (
      SELECT A.id, A.seller, B.price, B.date_time,
             ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.date_time ASC) AS rownum
      FROM auction AS A, bid AS B
      WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
    )
    WHERE rownum <= 1
  )
)
WHERE recent <= 10
GROUP BY seller;
