-- eddy: SELECT bidder, CAST(sum(bid_count) AS BIGINT) FROM nexmark_result GROUP BY bidder
-- Processing-time windows depend on the wall clock: compare the bids counted per bidder over all windows.
SELECT bidder, count(*) FROM bid GROUP BY bidder;
