"""Finding article URLs: sources from seeds/, feeds, sitemaps, URL keys and safe seed patterns."""
