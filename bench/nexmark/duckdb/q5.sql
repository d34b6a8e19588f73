-- HOP(2 s, 10 s): a bid at t is in the five windows starting at bucket(t, 2 s) - 2k s, k = 0..4.
WITH hop AS (
  SELECT auction, time_bucket(INTERVAL 2 SECOND, date_time) - k * INTERVAL 2 SECOND AS starttime
  FROM bid, range(0, 5) AS r(k)
),
counts AS (
  SELECT auction, count(*) AS num, starttime FROM hop GROUP BY auction, starttime
)
SELECT c.auction, c.num
FROM counts c JOIN (SELECT max(num) AS maxn, starttime FROM counts GROUP BY starttime) m
  ON c.starttime = m.starttime AND c.num >= m.maxn;
