-- Tables, views and materialized views: watermarks, keys, computed and metadata columns, options.

CREATE TABLE user_behavior (
  user_id BIGINT,
  item_id BIGINT,
  category_id BIGINT,
  behavior STRING,
  ts TIMESTAMP(3),
  proctime AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'user_behavior',
  'scan.startup.mode' = 'earliest-offset',
  'properties.bootstrap.servers' = 'localhost:9092',
  'format' = 'json'
);

CREATE TABLE IF NOT EXISTS kafka_source (
  `user_id` BIGINT,
  `item_id` BIGINT,
  `behavior` STRING,
  `event_time` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  `partition` BIGINT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL,
  WATERMARK FOR event_time AS event_time - INTERVAL '1' SECOND
) WITH ('connector' = 'kafka', 'value.format' = 'csv');

CREATE TABLE clicks (
  user_name STRING NOT NULL COMMENT 'who clicked',
  url STRING,
  cTime TIMESTAMP(3),
  epoch_ms BIGINT,
  ts AS TO_TIMESTAMP_LTZ(epoch_ms, 3),
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND,
  CONSTRAINT pk PRIMARY KEY (user_name, url) NOT ENFORCED
) COMMENT 'click stream' PARTITIONED BY (user_name) WITH ('connector' = 'filesystem', 'path' = 'file:///tmp/clicks', 'format' = 'parquet');

CREATE TEMPORARY TABLE datagen_source (
  id INT PRIMARY KEY NOT ENFORCED,
  amount DECIMAL(10, 2),
  tags ARRAY<STRING>,
  attributes MAP<STRING, STRING>,
  address ROW<street STRING, city STRING, zip INT>,
  created TIMESTAMP(3) WITH LOCAL TIME ZONE,
  ratio DOUBLE PRECISION,
  code CHAR(3),
  payload BYTES,
  valid_for INTERVAL DAY TO SECOND(3)
) WITH ('connector' = 'datagen', 'rows-per-second' = '100', 'fields.id.kind' = 'sequence');

-- A changelog table fed by SQL: a primary key and no connector.
CREATE TABLE accounts (
  id BIGINT NOT NULL,
  owner STRING,
  balance DECIMAL(18, 2),
  updated TIMESTAMP(3),
  WATERMARK FOR updated AS updated,
  PRIMARY KEY (id) NOT ENFORCED
);

-- An append-only table fed by SQL.
CREATE TABLE events (id BIGINT, kind STRING, at TIMESTAMP(3));

CREATE VIEW recent_events AS SELECT * FROM events WHERE at > CURRENT_TIMESTAMP - INTERVAL '1' DAY;

CREATE OR REPLACE VIEW event_counts (kind, n) AS SELECT kind, COUNT(*) FROM events GROUP BY kind;

CREATE TEMPORARY VIEW IF NOT EXISTS big_accounts AS SELECT id, owner FROM accounts WHERE balance > 1000000;

CREATE MATERIALIZED VIEW balance_by_owner AS
SELECT owner, SUM(balance) AS total, COUNT(*) AS accounts
FROM accounts
GROUP BY owner;

CREATE MATERIALIZED VIEW IF NOT EXISTS hourly_clicks WITH ('state.ttl' = '1 d') AS
SELECT window_start, window_end, user_name, COUNT(url) AS cnt
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' HOUR))
GROUP BY window_start, window_end, user_name;

CREATE OR REPLACE MATERIALIZED VIEW top_spenders AS
SELECT owner, total FROM balance_by_owner ORDER BY total DESC LIMIT 10;

INSERT INTO accounts VALUES (1, 'alice', 100.00, TIMESTAMP '2026-01-01 10:00:00'), (2, 'bob', 250.50, TIMESTAMP '2026-01-01 10:05:00');

INSERT INTO accounts (id, owner) VALUES (3, 'carol');

INSERT INTO events SELECT id, 'created', updated FROM accounts;

INSERT OVERWRITE archive SELECT * FROM events WHERE at < DATE '2026-01-01';

UPDATE accounts SET balance = balance - 10, updated = CURRENT_TIMESTAMP WHERE id = 1;

DELETE FROM accounts WHERE owner IS NULL;

DROP VIEW IF EXISTS recent_events;

DROP MATERIALIZED VIEW hourly_clicks CASCADE;

DROP TABLE IF EXISTS events, clicks RESTRICT;

DROP JOB 'insert-into-archive-1';

ANALYZE TABLE accounts;
