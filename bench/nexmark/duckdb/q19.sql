-- eddy: SELECT auction, rank_number, price FROM nexmark_result
-- ROW_NUMBER orders bids of equal price arbitrarily (in Flink too), so which of them gets which rank is not defined:
-- compare, per auction, the price at each rank of the top 10, which is.
SELECT auction, rank_number, price
FROM (
  SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid
)
WHERE rank_number <= 10;
