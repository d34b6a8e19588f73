WITH winners AS (
  SELECT id, seller, price, date_time FROM (
    SELECT A.id, A.seller, B.price, B.date_time,
           row_number() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.date_time ASC) AS rownum
    FROM auction A JOIN bid B ON A.id = B.auction
    WHERE B.date_time BETWEEN A.date_time AND A.expires
  ) WHERE rownum = 1
),
recent AS (
  SELECT seller, price, row_number() OVER (PARTITION BY seller ORDER BY date_time DESC, id DESC) AS recent FROM winners
)
SELECT seller, CAST(trunc(avg(price)) AS BIGINT) FROM recent WHERE recent <= 10 GROUP BY seller;
