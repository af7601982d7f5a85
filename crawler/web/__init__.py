"""The review web app and HTTP API over the crawler's store (`scrapy serve`, `python -m crawler.web`)."""
