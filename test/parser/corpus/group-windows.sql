-- The group-window syntax of Flink's older API: TUMBLE / HOP / SESSION in
-- GROUP BY and their auxiliary functions in the select list.

CREATE TABLE sensors (
  room STRING,
  temp DOUBLE,
  rowtime TIMESTAMP(3),
  proctime AS PROCTIME(),
  WATERMARK FOR rowtime AS rowtime - INTERVAL '10' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'sensors', 'format' = 'json');

SELECT room, TUMBLE_END(rowtime, INTERVAL '1' HOUR), AVG(temp)
FROM sensors
GROUP BY TUMBLE(rowtime, INTERVAL '1' HOUR), room;

SELECT room,
       TUMBLE_START(rowtime, INTERVAL '1' DAY) AS wStart,
       TUMBLE_END(rowtime, INTERVAL '1' DAY) AS wEnd,
       TUMBLE_ROWTIME(rowtime, INTERVAL '1' DAY) AS wRowtime,
       MAX(temp) AS maxTemp
FROM sensors
GROUP BY TUMBLE(rowtime, INTERVAL '1' DAY), room;

SELECT room,
       HOP_START(rowtime, INTERVAL '5' MINUTE, INTERVAL '1' HOUR) AS wStart,
       HOP_END(rowtime, INTERVAL '5' MINUTE, INTERVAL '1' HOUR) AS wEnd,
       MIN(temp)
FROM sensors
GROUP BY HOP(rowtime, INTERVAL '5' MINUTE, INTERVAL '1' HOUR), room;

SELECT room,
       SESSION_START(rowtime, INTERVAL '12' HOUR) AS sStart,
       SESSION_ROWTIME(rowtime, INTERVAL '12' HOUR) AS sRowtime,
       COUNT(*) AS readings
FROM sensors
GROUP BY SESSION(rowtime, INTERVAL '12' HOUR), room;

SELECT room, TUMBLE_PROCTIME(proctime, INTERVAL '10' MINUTE) AS pt, COUNT(*)
FROM sensors
GROUP BY TUMBLE(proctime, INTERVAL '10' MINUTE), room;

-- The result of one group window feeding another through its rowtime.
SELECT room, TUMBLE_END(wRowtime, INTERVAL '1' DAY), SUM(cnt)
FROM (
  SELECT room, TUMBLE_ROWTIME(rowtime, INTERVAL '1' HOUR) AS wRowtime, COUNT(*) AS cnt
  FROM sensors
  GROUP BY TUMBLE(rowtime, INTERVAL '1' HOUR), room
)
GROUP BY TUMBLE(wRowtime, INTERVAL '1' DAY), room;
