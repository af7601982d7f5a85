"""The Scrapy side: spiders, items, pipelines, middlewares, extensions and stores."""
