-- OVER aggregations, TopN and deduplication.

-- The total of the last hour of orders, per product, for every order.
SELECT order_id, order_time, amount,
  SUM(amount) OVER (
    PARTITION BY product
    ORDER BY order_time
    RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW
  ) AS one_hour_prod_amount_sum
FROM Orders;

-- The same window used twice through a WINDOW clause.
SELECT order_id, order_time, amount,
  SUM(amount) OVER w AS sum_amount,
  AVG(amount) OVER w AS avg_amount
FROM Orders
WINDOW w AS (
  PARTITION BY product
  ORDER BY order_time
  RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW);

-- Row-based windows: the last five orders.
SELECT product, order_time,
  MAX(amount) OVER (PARTITION BY product ORDER BY order_time ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS recent_max
FROM Orders;

-- Unbounded windows.
SELECT product, COUNT(*) OVER (PARTITION BY product ORDER BY order_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n
FROM Orders;

-- TopN: the five best-selling products per category.
SELECT product_id, category, product_name, sales
FROM (
  SELECT *,
    ROW_NUMBER() OVER (PARTITION BY category ORDER BY sales DESC) AS row_num
  FROM ShopSales)
WHERE row_num <= 5;

-- TopN with RANK and DENSE_RANK.
SELECT * FROM (
  SELECT *, RANK() OVER (PARTITION BY category ORDER BY sales DESC) AS rk FROM ShopSales
) WHERE rk <= 3;

SELECT * FROM (
  SELECT *, DENSE_RANK() OVER (ORDER BY sales DESC) AS rk FROM ShopSales
) WHERE rk < 10;

-- A materialized TopN with ORDER BY ... LIMIT.
CREATE MATERIALIZED VIEW top_products AS
SELECT product_id, SUM(sales) AS total FROM ShopSales GROUP BY product_id ORDER BY total DESC LIMIT 10;

-- Deduplication: keep the first row of each order id.
SELECT order_id, user, product, num
FROM (
  SELECT *,
    ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY proctime ASC) AS row_num
  FROM Orders)
WHERE row_num = 1;

-- Deduplication keeping the last row.
SELECT order_id, user, product, num
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY rowtime DESC) AS row_num
  FROM Orders)
WHERE row_num = 1;

-- QUALIFY instead of a subquery.
SELECT order_id, user, product FROM Orders
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY rowtime DESC) = 1;

-- LAG, LEAD, FIRST_VALUE and LAST_VALUE.
SELECT sensor, reading,
  reading - LAG(reading, 1) OVER (PARTITION BY sensor ORDER BY ts) AS delta,
  LEAD(reading) OVER (PARTITION BY sensor ORDER BY ts) AS next_reading,
  FIRST_VALUE(reading) OVER (PARTITION BY sensor ORDER BY ts) AS first_reading,
  LAST_VALUE(reading IGNORE NULLS) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_reading
FROM readings;

-- Aggregates with DISTINCT, FILTER, LISTAGG and STRING_AGG.
SELECT user_id,
  COUNT(DISTINCT product) AS products,
  SUM(amount) FILTER (WHERE amount > 100) AS big_spend,
  LISTAGG(product, ', ') AS product_list,
  STRING_AGG(product, ',' ORDER BY amount DESC) AS ordered_products,
  STDDEV_POP(amount), VAR_SAMP(amount)
FROM Orders
GROUP BY user_id
HAVING COUNT(*) > 2;
