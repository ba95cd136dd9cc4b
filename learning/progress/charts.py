"""Server-rendered SVG charts: line charts, grouped bar charts and the heat-map
cell scale. Pure functions of their data; each chart carries a data table
(`Chart.table`) that the page shows under it for screen readers and copying."""
from dataclasses import dataclass

from markupsafe import Markup, escape

from learning.progress.tables import Table

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 34
PALETTE = ("#2f5d8a", "#1f8a70", "#b7791f", "#8a3b9e", "#b3261e", "#4a7f2b", "#5b6475")


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
    values = [v for _, vs in series for v in vs if v is not None]
    lo = floor if floor is not None else min(values, default=0)
    hi = ceiling if ceiling is not None else max(values, default=1)
    if hi <= lo:
        hi = lo + 1
    return lo, hi


def x_position(index, count):
    plot = WIDTH - LEFT - RIGHT
    return LEFT + (plot * (index + 0.5) / count if count else 0)


def _axes(x_labels, lo, hi, y_label):
    bottom = HEIGHT - BOTTOM
    parts = [f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#c5ccd8"/>']
    for tick in (lo, (lo + hi) / 2, hi):
        y = scale(tick, lo, hi, bottom, TOP)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#eef1f5"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#5b6475">'
                     f'{_tick(tick)}</text>')
    step = max(1, len(x_labels) // 12)
    short = len(x_labels) > 6   # "Mar 2026" -> "Mar"; the data table keeps the full label
    for i, label in enumerate(x_labels):
        if short:
            label = label.split(" ")[0]
        if i % step == 0:
            parts.append(f'<text x="{x_position(i, len(x_labels)):.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
                         f'font-size="11" fill="#5b6475">{escape(label)}</text>')
    if y_label:
        parts.append(f'<text x="4" y="{TOP - 2}" font-size="11" fill="#5b6475">{escape(y_label)}</text>')
    return parts


def _tick(value):
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _svg(title, parts):
    body = "".join(parts)
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" preserveAspectRatio="xMidYMid meet" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>')


def _data_table(name, title, x_labels, series, x_header):
    rows = [[label] + [values[i] for _, values in series] for i, label in enumerate(x_labels)]
    return Table(name, title, [x_header] + [s for s, _ in series], rows,
                 numeric=tuple(range(1, len(series) + 1)))


def line_chart(name, title, x_labels, series, floor=None, ceiling=None, markers=(), y_label="", x_header="Month",
               bridge=False):
    """`series`: [(name, [value or None per x label])]; `markers`: [(x index, text)]
    drawn as dashed verticals (e.g. "module completed"). Gaps stay gaps unless
    `bridge` (a level that holds until the next rating)."""
    lo, hi = value_range(series, floor, ceiling)
    parts = _axes(x_labels, lo, hi, y_label)
    count = len(x_labels)
    for index, text in markers:
        x = x_position(index, count)
        parts.append(f'<line class="marker" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" '
                     f'stroke="#b7791f" stroke-dasharray="4 3"><title>{escape(text)}</title></line>')
    for s_index, (s_name, values) in enumerate(series):
        points = [(x_position(i, count), scale(v, lo, hi, HEIGHT - BOTTOM, TOP))
                  for i, v in enumerate(values) if v is not None]
        for run in ([points] if bridge else _runs(values, points)):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour(s_index)}" stroke-width="2"/>')
        for (x, y), v in zip(points, [v for v in values if v is not None]):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour(s_index)}">'
                         f'<title>{escape(s_name)}: {_tick(v)}</title></circle>')
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
    lo, hi = value_range(series, floor=0)
    hi = max(hi, 1)
    parts = _axes(x_labels, lo, hi, y_label)
    count, groups = len(x_labels), max(1, len(series))
    slot = (WIDTH - LEFT - RIGHT) / max(1, count)
    bar = slot * 0.8 / groups
    for s_index, (s_name, values) in enumerate(series):
        for i, v in enumerate(values):
            if not v:
                continue
            x = LEFT + slot * i + slot * 0.1 + bar * s_index
            y = scale(v, lo, hi, HEIGHT - BOTTOM, TOP)
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{HEIGHT - BOTTOM - y:.1f}" '
                         f'fill="{colour(s_index)}"><title>{escape(x_labels[i])}, {escape(s_name)}: {_tick(v)}'
                         f'</title></rect>')
    table = _data_table(name, title, x_labels, series, x_header)
    return Chart(title, _svg(title, parts), table, [(s, colour(i)) for i, (s, _) in enumerate(series)])


def heat_class(level, top=5):
    """The CSS class of a heat-map cell: heat-0 (no rating) to heat-5 (the top level)."""
    if level is None:
        return "heat-0"
    step = round(scale(min(max(level, 1), top), 1, top, 1, 5))
    return f"heat-{step}"
