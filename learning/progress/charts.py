"""Server-rendered SVG charts: line charts, grouped bar charts and the heat-map
cell scale. Pure functions of their data; each chart carries a data table
(`Chart.table`) that the page shows under it for screen readers and copying."""
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from learning.progress.tables import Table

# Drawn at the size shown: the SVG is as wide as its box (no viewBox shrinking it), so text
# keeps its pixel size. Across, positions are percentages; up and down, pixels.
HEIGHT, TOP, BOTTOM = 240, 22, 26          # px: the plot runs from TOP to HEIGHT - BOTTOM
FONT = 12                                  # px, labels never smaller than the page's small text
SPIKE = 3                                  # a value over 3x the next largest is clipped, not scaled to
PALETTE = ("#2f5d8a", "#1f8a70", "#b7791f", "#8a3b9e", "#b3261e", "#4a7f2b", "#5b6475")
LABEL = f'font-size="{FONT}" fill="#4b5363"'
@dataclass
class Chart:
    title: str
    svg: Markup
    table: Table
    legend: list      # (name, colour)


def colour(index):
    return PALETTE[index % len(PALETTE)]


def scale(value, lo, hi, start, end):
    """Map `value` from [lo, hi] to [start, end] (a flat range maps to the middle)."""
    if hi == lo:
        return (start + end) / 2
    return start + (value - lo) * (end - start) / (hi - lo)


def value_range(series, floor=None, ceiling=None):
    """(lo, hi, clipped): the y range. One value far above the rest (a one-month spike)
    would flatten every other month, so the range then stops a little above the next
    largest value and the spike is drawn clipped, with its value written on it."""
    values = [v for _, vs in series for v in vs if v is not None]
    lo = floor if floor is not None else min(values, default=0)
    hi = ceiling if ceiling is not None else max(values, default=1)
    clipped = False
    if ceiling is None:
        ordered = sorted({v for v in values if v > lo}, reverse=True)
        if len(ordered) >= 2 and ordered[0] - lo > SPIKE * (ordered[1] - lo):
            hi, clipped = lo + nice_ceiling((ordered[1] - lo) * 1.2), True
    if hi <= lo:
        hi = lo + 1
    return lo, hi, clipped


def x_percent(index, count):
    return 100 * (index + 0.5) / count if count else 0


def y_pixel(value, lo, hi):
    return scale(min(value, hi), lo, hi, HEIGHT - BOTTOM, TOP)


def _axes(x_labels, lo, hi, y_label):
    bottom = HEIGHT - BOTTOM
    parts = [f'<line x1="0" y1="{bottom}" x2="100%" y2="{bottom}" stroke="#c5ccd8"/>']
    for tick in (lo, (lo + hi) / 2, hi):
        y = scale(tick, lo, hi, bottom, TOP)
        parts.append(f'<line x1="0" y1="{y:.1f}" x2="100%" y2="{y:.1f}" stroke="#e4e8ee"/>')
        if tick != lo:   # the value sits on its line, at the left, over a white halo
            parts.append(f'<text x="2" y="{y - 3:.1f}" {LABEL} class="tick" paint-order="stroke" stroke="#fff" '
                         f'stroke-width="3">{_tick(tick)}</text>')
    step = max(1, -(-len(x_labels) // 12))
    short = len(x_labels) > 6   # "Mar 2026" -> "Mar"; the data table keeps the full label
    for i, label in enumerate(x_labels):
        if short:
            label = label.split(" ")[0]
        if i % step == 0:
            parts.append(f'<text x="{x_percent(i, len(x_labels)):.2f}%" y="{HEIGHT - 8}" text-anchor="middle" '
                         f'{LABEL}>{escape(label)}</text>')
    if y_label:
        parts.append(f'<text x="2" y="{FONT}" {LABEL}>{escape(y_label)}</text>')
    return parts


def _tick(value):
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _svg(title, parts):
    body = "".join(parts)
    return Markup(f'<svg class="chart" width="100%" height="{HEIGHT}" role="img" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>')


def _clip_mark(x, value, width=0):
    """A value above the axis' top: its true value over it and, on a bar, a white break."""
    mark = (f'<text x="{x:.2f}%" y="{TOP - 6}" text-anchor="middle" {LABEL} class="clipped">'
            f'{_tick(value)} \u2191</text>')
    if width:
        mark += (f'<line x1="{x - width / 2:.2f}%" y1="{TOP + 8}" x2="{x + width / 2:.2f}%" y2="{TOP + 4}" '
                 f'stroke="#fff" stroke-width="3"/>')
    return mark


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above `value`."""
    magnitude = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


def _data_table(name, title, x_labels, series, x_header):
    rows = [[label] + [values[i] for _, values in series] for i, label in enumerate(x_labels)]
    return Table(name, title, [x_header] + [s for s, _ in series], rows,
                 numeric=tuple(range(1, len(series) + 1)))


def line_chart(name, title, x_labels, series, floor=None, ceiling=None, markers=(), y_label="", x_header="Month",
               bridge=False):
    """`series`: [(name, [value or None per x label])]; `markers`: [(x index, text)]
    drawn as dashed verticals (e.g. "module completed"). Gaps stay gaps unless
    `bridge` (a level that holds until the next rating)."""
    lo, hi, _ = value_range(series, floor, ceiling)
    parts = _axes(x_labels, lo, hi, y_label)
    count = len(x_labels)
    for index, text in markers:
        x = x_percent(index, count)
        parts.append(f'<line class="marker" x1="{x:.2f}%" y1="{TOP}" x2="{x:.2f}%" y2="{HEIGHT - BOTTOM}" '
                     f'stroke="#b7791f" stroke-dasharray="4 3"><title>{escape(text)}</title></line>')
    # Lines in a stretched inner SVG (0-1000 across), strokes kept at 2 px however wide.
    parts.append(f'<svg x="0" y="0" width="100%" height="{HEIGHT}" viewBox="0 0 1000 {HEIGHT}" '
                 f'preserveAspectRatio="none" aria-hidden="true">')
    for s_index, (s_name, values) in enumerate(series):
        points = [(x_percent(i, count) * 10, y_pixel(v, lo, hi)) for i, v in enumerate(values) if v is not None]
        for run in ([points] if bridge else _runs(values, points)):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour(s_index)}" stroke-width="2" '
                         f'vector-effect="non-scaling-stroke"/>')
    parts.append("</svg>")
    for s_index, (s_name, values) in enumerate(series):
        for i, v in enumerate(values):
            if v is None:
                continue
            parts.append(f'<circle cx="{x_percent(i, count):.2f}%" cy="{y_pixel(v, lo, hi):.1f}" r="3.5" '
                         f'fill="{colour(s_index)}"><title>{escape(s_name)}: {_tick(v)}</title></circle>')
            if v > hi:
                parts.append(_clip_mark(x_percent(i, count), v))
    table = _data_table(name, title, x_labels, series, x_header)
    if markers:
        table.headers.append("Milestones")
        notes = {}
        for index, text in markers:
            notes.setdefault(index, []).append(text)
        for i, row in enumerate(table.rows):
            row.append("; ".join(notes.get(i, [])))
    return Chart(title, _svg(title, parts), table, [(s, colour(i)) for i, (s, _) in enumerate(series)])


def _runs(values, points):
    """Split the plotted points where a value is missing, so a gap is not bridged."""
    runs, current, it = [], [], iter(points)
    for value in values:
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(next(it))
    if current:
        runs.append(current)
    return runs


def bar_chart(name, title, x_labels, series, y_label="", x_header="Month"):
    """Grouped bars: `series` [(name, [count per x label])], from zero."""
    lo, hi, _ = value_range(series, floor=0)
    hi = max(hi, 1)
    parts = _axes(x_labels, lo, hi, y_label)
    count, groups = len(x_labels), max(1, len(series))
    slot = 100 / max(1, count)
    bar = slot * 0.8 / groups
    for s_index, (s_name, values) in enumerate(series):
        for i, v in enumerate(values):
            if not v:
                continue
            x = slot * i + slot * 0.1 + bar * s_index
            y = y_pixel(v, lo, hi)
            parts.append(f'<rect x="{x:.2f}%" y="{y:.1f}" width="{bar:.2f}%" height="{HEIGHT - BOTTOM - y:.1f}" '
                         f'fill="{colour(s_index)}"><title>{escape(x_labels[i])}, {escape(s_name)}: {_tick(v)}'
                         f'</title></rect>')
            if v > hi:
                parts.append(_clip_mark(x + bar / 2, v, bar))
    table = _data_table(name, title, x_labels, series, x_header)
    return Chart(title, _svg(title, parts), table, [(s, colour(i)) for i, (s, _) in enumerate(series)])
