"""A crawl spread over machines through Redis: the queue, what crosses it, the enqueuer and the archiver."""
