"""Project Scrapy commands (COMMANDS_MODULE = "crawler.commands"): export, renormalise, schedule, sources."""
