SELECT auction,
       strftime(date_time, '%Y-%m-%d'),
       count(*),
       count(*) FILTER (WHERE price < 10000),
       count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
       count(*) FILTER (WHERE price >= 1000000),
       min(price),
       max(price),
       CAST(trunc(avg(price)) AS BIGINT),
       sum(price)
FROM bid
GROUP BY auction, strftime(date_time, '%Y-%m-%d');
