"""Market and competitors (issue 18 point 2): listing snapshots read in scope, then analysed as price bands,
sales share, price moves, new entrants and our items beside their closest competitors."""
