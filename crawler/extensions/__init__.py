"""Scrapy extensions: the bundled demo site server and the end-of-run summary."""
