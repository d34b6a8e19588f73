-- Joins in time: regular, interval, temporal (event and processing time), lookup and lateral.

CREATE TABLE orders (
  order_id STRING,
  price DECIMAL(32, 2),
  currency STRING,
  order_time TIMESTAMP(3),
  proc_time AS PROCTIME(),
  WATERMARK FOR order_time AS order_time - INTERVAL '15' SECOND
) WITH ('connector' = 'kafka');

CREATE TABLE currency_rates (
  currency STRING,
  conversion_rate DECIMAL(32, 2),
  update_time TIMESTAMP(3) METADATA FROM 'value.source.timestamp' VIRTUAL,
  WATERMARK FOR update_time AS update_time - INTERVAL '15' SECOND,
  PRIMARY KEY (currency) NOT ENFORCED
) WITH ('connector' = 'kafka', 'value.format' = 'debezium-json');

-- Regular joins, inner and outer.
SELECT * FROM orders INNER JOIN product ON orders.product_id = product.id;

SELECT * FROM orders LEFT JOIN product ON orders.product_id = product.id;

SELECT * FROM orders RIGHT JOIN product ON orders.product_id = product.id;

SELECT * FROM orders FULL OUTER JOIN product ON orders.product_id = product.id;

-- Interval join: shipments within four hours of the order.
SELECT *
FROM orders o, shipments s
WHERE o.id = s.order_id
  AND o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;

SELECT o.id, s.ship_time
FROM orders o
JOIN shipments s ON o.id = s.order_id AND s.ship_time BETWEEN o.order_time AND o.order_time + INTERVAL '4' HOUR;

-- Event-time temporal join against a versioned table.
SELECT order_id, price, orders.currency, conversion_rate, order_time
FROM orders
LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time
ON orders.currency = currency_rates.currency;

SELECT o.order_id, o.price * r.conversion_rate AS converted, o.order_time
FROM orders AS o
JOIN currency_rates FOR SYSTEM_TIME AS OF o.order_time AS r
ON o.currency = r.currency;

-- A versioned view: the last rate of each currency from an append-only stream.
CREATE VIEW versioned_rates AS
SELECT currency, rate, currency_time
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY currency ORDER BY currency_time DESC) AS rownum
  FROM RatesHistory
)
WHERE rownum = 1;

SELECT o.order_id, o.price * r.rate
FROM orders AS o
JOIN versioned_rates FOR SYSTEM_TIME AS OF o.order_time AS r
ON o.currency = r.currency;

-- Processing-time temporal join and lookup join.
SELECT o.amount, o.currency, r.rate, o.amount * r.rate
FROM orders AS o
JOIN LatestRates FOR SYSTEM_TIME AS OF o.proc_time AS r
ON r.currency = o.currency;

SELECT o.order_id, o.total, c.country, c.zip
FROM Orders AS o
JOIN Customers FOR SYSTEM_TIME AS OF o.proc_time AS c
ON o.customer_id = c.id;

-- Table functions joined laterally.
SELECT order_id, res
FROM Orders, LATERAL TABLE(table_func(order_id)) t(res);

SELECT order_id, res
FROM Orders
LEFT OUTER JOIN LATERAL TABLE(table_func(order_id)) t(res) ON TRUE;

-- Array expansion with UNNEST.
SELECT order_id, tag
FROM Orders CROSS JOIN UNNEST(tags) AS t (tag);

-- Semi and anti joins through IN and EXISTS.
SELECT * FROM orders WHERE currency IN (SELECT currency FROM currency_rates WHERE conversion_rate > 1);

SELECT * FROM orders o WHERE NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id);

-- A join written with USING and a NATURAL join.
SELECT * FROM orders JOIN payments USING (order_id);

SELECT * FROM orders NATURAL JOIN order_details;
