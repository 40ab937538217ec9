"""Tools beside the archive: the offline sample web the demo and the tests crawl."""
