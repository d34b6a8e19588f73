-- Flink's SPLIT_INDEX counts from 0; DuckDB's lists from 1.
SELECT auction, bidder, price, channel,
       string_split(url, '/')[4], string_split(url, '/')[5], string_split(url, '/')[6]
FROM bid;
