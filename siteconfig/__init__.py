"""Site files (config/sites/*.toml): loaded and checked, for the crawl and the CLI alike."""
