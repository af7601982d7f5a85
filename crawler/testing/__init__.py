"""Local sites, servers and real crawl runs for the tests and the benchmarks (as Scrapy ships
`scrapy.utils.testsite`): nothing in the crawl or the normaliser imports this package.

`fixture_site` serves a generated news site (sitemap, ETags, revisions; `news_pages` writes its
realistic pages), `hostile_server` a site that misbehaves on purpose, `tcp_proxy` a link a test
can cut; `crawl` runs the real `scrapy crawl news` in a subprocess and `local_crawl` does so with
the local site's settings. The crawl runners start Scrapy in the repository checkout (its
`scrapy.cfg` and `settings/`).
"""
