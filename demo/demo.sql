-- The demo `npm start` serves: a generated stream of bids and views kept up
-- to date over it. It runs on every start, so each statement may be repeated.

-- Ten bids a second on auctions 1 to 5, from the datagen connector.
CREATE TABLE IF NOT EXISTS bids (
  auction INT, bidder INT, price DECIMAL(10, 2)
) WITH (
  'connector' = 'datagen', 'rows-per-second' = '10',
  'fields.auction.min' = '1', 'fields.auction.max' = '5',
  'fields.bidder.min' = '1', 'fields.bidder.max' = '1000',
  'fields.price.min' = '1', 'fields.price.max' = '100'
);

-- Per auction: how many bids so far, the best and the average price.
CREATE MATERIALIZED VIEW IF NOT EXISTS auction_prices AS
  SELECT auction, count(*) AS bids, max(price) AS best, round(avg(price), 2) AS average
  FROM bids GROUP BY auction;

-- The three auctions with the most bids (a top-N over the aggregate).
CREATE MATERIALIZED VIEW IF NOT EXISTS hot_auctions AS
  SELECT auction, bids FROM (
    SELECT auction, bids, ROW_NUMBER() OVER (ORDER BY bids DESC, auction) AS rank
    FROM auction_prices
  ) WHERE rank <= 3;
