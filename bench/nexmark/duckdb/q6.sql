WITH winners AS (
  SELECT id, seller, price, date_time FROM (
    SELECT A.id, A.seller, B.price, B.date_time,
           row_number() OVER (PARTITION BY A.id, A.seller ORDER BY B.price DESC, B.date_time ASC) AS rownum
    FROM auction A JOIN bid B ON A.id = B.auction
    WHERE B.date_time BETWEEN A.date_time AND A.expires
  ) WHERE rownum = 1
)
SELECT seller,
       CAST(trunc(avg(price) OVER (PARTITION BY seller ORDER BY date_time ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)) AS BIGINT)
FROM winners;
