-- Row pattern recognition with MATCH_RECOGNIZE.

CREATE TABLE Ticker (
  symbol STRING,
  price BIGINT,
  tax BIGINT,
  rowtime TIMESTAMP(3),
  WATERMARK FOR rowtime AS rowtime - INTERVAL '1' SECOND
) WITH ('connector' = 'kafka');

-- A falling then rising price: a V shape.
SELECT *
FROM Ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    START_ROW.rowtime AS start_tstamp,
    LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
    LAST(PRICE_UP.rowtime) AS end_tstamp
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO LAST PRICE_UP
  PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
  DEFINE
    PRICE_DOWN AS
      (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR
        PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
    PRICE_UP AS
      PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
) MR;

-- Periods in which the average price stays below 15.
SELECT *
FROM Ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    FIRST(A.rowtime) AS start_tstamp,
    LAST(A.rowtime) AS end_tstamp,
    AVG(A.price) AS avgPrice
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A+ B)
  DEFINE
    A AS AVG(A.price) < 15
) MR;

-- A rise of more than ten within an hour.
SELECT *
FROM Ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    C.rowtime AS dropTime,
    A.price - C.price AS dropDiff
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A B* C) WITHIN INTERVAL '1' HOUR
  DEFINE
    B AS B.price > A.price - 10,
    C AS C.price < A.price - 10
);

-- Every row of a match, with RUNNING and FINAL measures.
SELECT *
FROM Ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    RUNNING COUNT(*) AS running_count,
    FINAL COUNT(*) AS final_count,
    CLASSIFIER() AS var,
    MATCH_NUMBER() AS match_no
  ALL ROWS PER MATCH
  AFTER MATCH SKIP TO NEXT ROW
  PATTERN (A B+?)
  DEFINE
    B AS B.price > PREV(B.price)
);

-- Reluctant and bounded quantifiers, alternation and grouping.
SELECT *
FROM Ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES A.price AS a_price, LAST(C.price) AS c_price
  PATTERN (A B{2,3}? (C | D){1,} E?)
  DEFINE
    A AS A.price > 10,
    B AS B.price < A.price,
    C AS C.price > 20,
    D AS D.price < 5,
    E AS E.tax > 0
);

-- PERMUTE, exclusion, anchors, SUBSET and empty-match handling.
SELECT *
FROM Ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(U.rowtime) AS first_u, LAST(U.rowtime) AS last_u, SUM(U.price) AS total
  ALL ROWS PER MATCH SHOW EMPTY MATCHES
  AFTER MATCH SKIP TO FIRST B
  PATTERN (^ PERMUTE(A, B) {- X -} C* $)
  SUBSET U = (A, B)
  DEFINE
    A AS A.price > 0,
    B AS B.price > 100,
    X AS X.tax = 0,
    C AS C.price BETWEEN 1 AND 50
) AS m;

-- Matches with omitted empty matches and unmatched rows.
SELECT * FROM Ticker MATCH_RECOGNIZE (
  ORDER BY rowtime
  ALL ROWS PER MATCH OMIT EMPTY MATCHES
  PATTERN (A*)
  DEFINE A AS A.price > 10
);

SELECT * FROM Ticker MATCH_RECOGNIZE (
  ORDER BY rowtime
  ALL ROWS PER MATCH WITH UNMATCHED ROWS
  PATTERN (A{3})
  DEFINE A AS A.price > NEXT(A.price)
);

-- MATCH_ROWTIME gives the result an event-time attribute for a window.
SELECT window_start, window_end, COUNT(*)
FROM TABLE(TUMBLE(TABLE (
  SELECT * FROM Ticker MATCH_RECOGNIZE (
    PARTITION BY symbol ORDER BY rowtime
    MEASURES MATCH_ROWTIME() AS mt, A.price AS p
    PATTERN (A B)
    DEFINE B AS B.price > A.price
  )
), DESCRIPTOR(mt), INTERVAL '1' HOUR))
GROUP BY window_start, window_end;
