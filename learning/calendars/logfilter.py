"""Keeps feed tokens out of logs: the request logs of werkzeug and gunicorn print the path."""
import logging
import re

FEED_PATH = re.compile(r"(/calendar/feed/)[^/\s?\"]+?(\.ics)?(?=[\s?\"]|$)")


def mask_feed_tokens(text):
    return FEED_PATH.sub(lambda m: m.group(1) + "[token]" + (m.group(2) or ""), text)


class FeedTokenFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = mask_feed_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


FILTER = FeedTokenFilter()
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def install():
    """Idempotent: each logger carries the filter once."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if FILTER not in logger.filters:
            logger.addFilter(FILTER)
