"""A one-line progress bar on stderr (no dependency), one bar per table written."""
import sys
import time


class ProgressBar:
    def __init__(self, label, total, stream=sys.stderr, width=30):
        self.label, self.total, self.stream, self.width = label, max(total, 1), stream, width
        self.done, self.started, self.shown = 0, time.perf_counter(), -1.0
        self.interactive = stream.isatty()

    def advance(self, count):
        self.done += count
        if self.interactive and (self.done >= self.total or time.perf_counter() - self.shown > 0.1):
            self.shown = time.perf_counter()
            self._draw("\r")

    def _draw(self, prefix):
        filled = int(self.width * min(self.done / self.total, 1))
        elapsed = time.perf_counter() - self.started
        self.stream.write(f"{prefix}  {self.label:<20} [{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{self.done:>8}/{self.total:<8} {elapsed:6.1f}s")
        self.stream.flush()

    def close(self):
        self._draw("\r" if self.interactive else "")
        self.stream.write("\n")
        self.stream.flush()
