-- Queries in PostgreSQL's spelling: CTEs, set operations, casts, literals, predicates.

WITH RECURSIVE t (n) AS (
  VALUES (1)
  UNION ALL
  SELECT n + 1 FROM t WHERE n < 100
)
SELECT sum(n) FROM t;

WITH regional_sales AS (
  SELECT region, SUM(amount) AS total_sales FROM orders GROUP BY region
), top_regions AS (
  SELECT region FROM regional_sales
  WHERE total_sales > (SELECT SUM(total_sales) / 10 FROM regional_sales)
)
SELECT region, product, SUM(quantity) AS product_units, SUM(amount) AS product_sales
FROM orders
WHERE region IN (SELECT region FROM top_regions)
GROUP BY region, product;

SELECT a FROM t1 UNION SELECT a FROM t2 INTERSECT SELECT a FROM t3 EXCEPT ALL SELECT a FROM t4 ORDER BY a LIMIT 10 OFFSET 2;

(SELECT id FROM a ORDER BY id LIMIT 5) UNION ALL (SELECT id FROM b ORDER BY id DESC LIMIT 5);

SELECT '42'::int + 1, CAST('3.14' AS DOUBLE PRECISION), TRY_CAST('x' AS INTEGER), 1::text || 'a';

SELECT E'tab\there', U&'d\0061t\+000061', X'DEADBEEF', $$dollar 'quoted'$$, 'it''s', $1, $2;

SELECT DATE '2026-03-01', TIME '12:34:56', TIMESTAMP '2026-03-01 12:34:56.789', INTERVAL '1 day 2 hours', INTERVAL '2-6' YEAR TO MONTH;

SELECT x IS NULL, x IS NOT NULL, x ISNULL, x NOTNULL, x IS TRUE, x IS NOT FALSE, x IS UNKNOWN, x IS DISTINCT FROM y, x IS NOT DISTINCT FROM y FROM t;

SELECT * FROM t WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN SYMMETRIC 5 AND 2 AND c LIKE 'ab%' AND d NOT ILIKE '%x' AND e SIMILAR TO '(a|b)%' ESCAPE '\';

SELECT CASE WHEN score >= 90 THEN 'A' WHEN score >= 80 THEN 'B' ELSE 'C' END AS grade,
       CASE status WHEN 1 THEN 'open' WHEN 2 THEN 'closed' END AS status_name
FROM results;

SELECT EXTRACT(YEAR FROM ts), EXTRACT(EPOCH FROM ts), date_trunc('hour', ts), now(), CURRENT_DATE, LOCALTIMESTAMP FROM t;

SELECT TRIM(BOTH ' ' FROM name), TRIM(LEADING '0' FROM code), SUBSTRING(name FROM 2 FOR 3), SUBSTRING(name, 1, 4),
       POSITION('@' IN email), OVERLAY(phone PLACING '***' FROM 4 FOR 3), UPPER(name), LENGTH(name)
FROM users;

SELECT ARRAY[1, 2, 3] AS arr, tags[1], ROW(1, 'a'), (a, b), (r).field, COALESCE(a, b, 0), NULLIF(a, 0), GREATEST(a, b), LEAST(a, b) FROM t;

SELECT count(*) FILTER (WHERE x > 0), percentile_cont(0.5) WITHIN GROUP (ORDER BY x), array_agg(x ORDER BY y DESC NULLS LAST) FROM t;

SELECT department, role, COUNT(*) FROM staff GROUP BY GROUPING SETS ((department, role), (department), ());

SELECT department, role, COUNT(*), GROUPING(department, role) FROM staff GROUP BY ROLLUP (department, role);

SELECT a, b, SUM(c) FROM t GROUP BY CUBE (a, b) HAVING SUM(c) > 10;

SELECT DISTINCT city FROM users ORDER BY city ASC NULLS FIRST FETCH FIRST 20 ROWS ONLY;

SELECT * FROM users LIMIT ALL OFFSET 10 ROWS;

SELECT u.*, o.total FROM users u LEFT JOIN LATERAL (SELECT sum(amount) AS total FROM orders WHERE user_id = u.id) o ON TRUE;

SELECT * FROM generate_series(1, 10) AS g (n) WHERE n % 2 = 0;

SELECT 2 ^ 10, 7 % 3, -5 + +3, 10 / 4, 1e-3 * .5, 'a' || 'b' || 'c', NOT TRUE AND FALSE OR NULL;

SELECT "Mixed Case", "with ""quotes""", plain FROM "Some Table";

SELECT * FROM t WHERE id IN (SELECT id FROM u) AND EXISTS (SELECT 1 FROM v WHERE v.id = t.id) AND t.x > ALL_VALUES(t.y);

VALUES (1, 'one'), (2, 'two'), (3, 'three');

SELECT 1 /* a comment /* nested */ still a comment */ + 1 -- and a line comment
;
