"""Jobs outside a single crawl: scheduling, exports and re-normalising stored pages."""
