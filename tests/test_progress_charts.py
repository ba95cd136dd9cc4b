"""The chart module, the month arithmetic and the CSV writer: pure functions."""
import re
from datetime import date

from learning.progress import charts, tables
from learning.progress.periods import add_months, last_months, streaks
from learning.progress.tables import Table, csv_rows


def test_scale_maps_a_range_and_a_flat_range_to_the_middle():
    assert charts.scale(5, 0, 10, 0, 100) == 50
    assert charts.scale(0, 0, 10, 200, 0) == 200
    assert charts.scale(3, 3, 3, 0, 100) == 50


def test_line_chart_leaves_a_gap_where_a_month_has_no_value():
    chart = charts.line_chart("m", "CSAT", ["Jan", "Feb", "Mar", "Apr"], [("CSAT", [80, 82, None, 85])])
    assert str(chart.svg).count("<polyline") == 2
    assert str(chart.svg).count("<circle") == 3
    assert chart.table.headers == ["Month", "CSAT"]
    assert chart.table.rows == [["Jan", 80], ["Feb", 82], ["Mar", None], ["Apr", 85]]


def test_line_chart_markers_are_drawn_and_listed_in_the_data_table():
    chart = charts.line_chart("m", "Service", ["Jan", "Feb", "Mar"], [("CSAT", [1, 2, 3])],
                              markers=[(1, "Module completed: Boundaries"), (1, "Plan started")])
    assert str(chart.svg).count('class="marker"') == 2
    assert chart.table.headers[-1] == "Milestones"
    assert chart.table.rows[1][-1] == "Module completed: Boundaries; Plan started"
    assert chart.table.rows[0][-1] == ""


def test_bar_chart_draws_one_bar_per_non_zero_value_per_series():
    chart = charts.bar_chart("a", "Activity", ["Jan", "Feb", "Mar"], [("Sessions", [2, 0, 1]), ("Cases", [1, 1, 0])])
    assert str(chart.svg).count("<rect") == 4
    assert chart.table.rows == [["Jan", 2, 1], ["Feb", 0, 1], ["Mar", 1, 0]]
    assert [name for name, _ in chart.legend] == ["Sessions", "Cases"]


def test_chart_text_is_escaped():
    chart = charts.bar_chart("a", "<script>", ["<b>"], [("x&y", [1])])
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "x&amp;y" in svg


def test_chart_has_an_accessible_title():
    svg = str(charts.bar_chart("a", "Sessions per month", ["Jan"], [("S", [1])]).svg)
    assert 'role="img"' in svg and "<title>Sessions per month</title>" in svg


def test_heat_class_spreads_levels_one_to_five_and_marks_no_rating():
    assert [tables.heat_class(level) for level in (None, 1, 2, 3, 4, 5)] == [
        "heat-0", "heat-1", "heat-2", "heat-3", "heat-4", "heat-5"]
    assert tables.heat_class(9) == "heat-5"


def test_months_are_counted_back_across_a_year_end():
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2025, 11, 1), 3) == date(2026, 2, 1)
    months = last_months("Europe/Berlin", 12, today=date(2026, 2, 17))
    assert months[0] == date(2025, 3, 1) and months[-1] == date(2026, 2, 1) and len(months) == 12


def test_continuity_counts_the_run_ending_this_month_or_last_month():
    months = [date(2026, m, 1) for m in range(1, 7)]
    assert streaks({"2026-01", "2026-02", "2026-04", "2026-05", "2026-06"}, months) == (3, 3)
    assert streaks({"2026-03", "2026-04", "2026-05"}, months) == (3, 3)      # this month not yet active
    assert streaks({"2026-01", "2026-02", "2026-03", "2026-05"}, months) == (1, 3)
    assert streaks(set(), months) == (0, 0)


def test_csv_rows_hold_every_row_with_averages_to_one_decimal():
    table = Table("t", "T", ["Name", "Value"], [["Ann", 2.25], ["Bo", 3], ["Cy", None]], page_limit=1)
    assert list(csv_rows(table)) == [["Ann", "2.2"], ["Bo", "3"], ["Cy", ""]]


def test_a_bridged_line_joins_ratings_across_unrated_months():
    chart = charts.line_chart("c", "Listen", ["Jan", "Feb", "Mar"], [("Coach", [2, None, 4])], bridge=True)
    assert str(chart.svg).count("<polyline") == 1
    assert chart.table.rows[1] == ["Feb", None]


def test_charts_are_drawn_at_the_size_shown_with_readable_labels():
    svg = str(charts.bar_chart("a", "Activity", ["Jan 2026", "Feb 2026"], [("S", [1, 2])]).svg)
    assert 'width="100%"' in svg and "viewBox" not in svg.split("<title>")[0]   # not a fixed picture shrunk
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= 11


def test_a_one_month_spike_is_clipped_so_the_other_months_stay_readable():
    counts = [2, 3, 1, 4, 63, 2]
    chart = charts.bar_chart("a", "Activity", ["Jan", "Feb", "Mar", "Apr", "May", "Jun"], [("Sessions", counts)])
    lo, hi, clipped = charts.value_range([("Sessions", counts)], floor=0)
    assert clipped and hi == 5                                 # a nice number over the next largest (4)
    svg = str(chart.svg)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[3] > 0.6 * heights[4]                       # April (4) stands tall beside the spike
    assert '63 \u2191' in svg                                  # the spike's true value is written on it
    assert chart.table.rows[4] == ["May", 63]                  # and the data table keeps it


def test_even_values_are_not_clipped():
    lo, hi, clipped = charts.value_range([("S", [10, 12, 9, 11])], floor=0)
    assert (lo, hi, clipped) == (0, 12, False)
