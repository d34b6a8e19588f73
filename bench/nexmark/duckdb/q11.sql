-- SESSION(10 s): a bid starts a new session when it comes 10 s or more after the bidder's previous one.
WITH marked AS (
  SELECT bidder, date_time,
         CASE WHEN lag(date_time) OVER w IS NULL OR date_time - lag(date_time) OVER w >= INTERVAL 10 SECOND THEN 1 ELSE 0 END AS starts
  FROM bid WINDOW w AS (PARTITION BY bidder ORDER BY date_time)
),
numbered AS (
  SELECT bidder, date_time, sum(starts) OVER (PARTITION BY bidder ORDER BY date_time ROWS UNBOUNDED PRECEDING) AS session
  FROM marked
)
SELECT bidder, count(*), min(date_time), max(date_time) + INTERVAL 10 SECOND
FROM numbered GROUP BY bidder, session;
