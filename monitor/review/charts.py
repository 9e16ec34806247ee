"""Plotly figures with titles, axis labels with units and plain-language legends.

Colours: blues and greys for amounts; red, amber and green are kept for status only.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from monitor.fmt import MONEY_UNITS, unit_word
from monitor.i18n import t
from monitor.rules.words import level_word

PLANNED = "#9db4d3"
ACTUAL = "#1f5fa8"
REFERENCE = "#7f7f7f"
BAND = "rgba(31, 95, 168, 0.15)"  # the forecast's 80% interval: the actual line's blue, faint


def inert(text: object) -> str:
    """Text from data for a chart: Plotly reads tags such as <a href>, <b> and <br> in titles,
    labels and hover text, and turns entities back into characters, so escaped text shows as written."""
    return html.escape(str(text), quote=False)


def _in_unit(values: pd.Series, unit: str) -> pd.Series:
    return values.astype(float) / float(MONEY_UNITS[unit])


def _layout(fig: go.Figure, title: str, x_title: str, unit: str, lang: str) -> go.Figure:
    fig.update_layout(
        title={"text": inert(title), "x": 0, "xanchor": "left"},
        xaxis_title=x_title,
        yaxis_title=t("axis_amount", lang, unit=unit_word(unit, lang)),
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},  # below the axis: never over the title
        margin={"t": 50, "l": 60, "r": 20, "b": 110},
        hovermode="x unified",
        font={"family": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"},
    )
    fig.update_yaxes(rangemode="tozero", tickformat=",.2f")
    return fig


def _progress_lines(fig: go.Figure, x, frame: pd.DataFrame, unit: str, lang: str, mode: str) -> None:
    """Planned and actual cumulative spending and the 序时进度 reference, shared by both charts."""
    lines = [
        ("planned_cumulative", "legend_planned_cum", {"color": PLANNED, "width": 3}),
        ("actual_cumulative", "legend_actual_cum", {"color": ACTUAL, "width": 3}),
        ("time_progress_amount", "legend_time_progress", {"color": REFERENCE, "dash": "dot"}),
    ]
    for column, legend, line in lines:
        fig.add_scatter(x=x, y=_in_unit(frame[column], unit), name=t(legend, lang), mode="lines" if "dash" in line else mode, line=line)


def quarterly_chart(quarters: pd.DataFrame, unit: str, lang: str, title: str) -> go.Figure:
    """Bars of planned and actual per quarter, cumulative lines and the 序时进度 line.

    `quarters` is the total rows of queries/pages/quarterly_disbursement.sql (amounts in 元; actual
    NaN for quarters not begun).
    """
    labels = [t(f"quarter_{q}", lang) for q in quarters["quarter"]]
    fig = go.Figure()
    fig.add_bar(x=labels, y=_in_unit(quarters["planned"], unit), name=t("legend_planned_q", lang), marker_color=PLANNED)
    fig.add_bar(x=labels, y=_in_unit(quarters["actual"], unit), name=t("legend_actual_q", lang), marker_color=ACTUAL)
    _progress_lines(fig, labels, quarters, unit, lang, "lines+markers")
    fig.update_layout(barmode="group")
    return _layout(fig, title, t("axis_quarter", lang), unit, lang)


def s_curve(days: pd.DataFrame, unit: str, lang: str, title: str, ahead: pd.Series | None = None) -> go.Figure:
    """Planned vs actual cumulative disbursement by day, with the 序时进度 line; with `ahead` (a row of
    monitor.rules.outlook.outlook) the year-end forecast as a dashed line from the last actual day to
    31 December and its 80% interval as a band widening from that day."""
    fig = go.Figure()
    _progress_lines(fig, days["day"], days, unit, lang, "lines")
    if ahead is not None and pd.notna(ahead["forecast"]):
        _forecast_fan(fig, days, ahead, unit, lang)
    fig.update_layout(legend_traceorder="normal")  # a filled band would reverse it
    fig.update_xaxes(tickformat="%m-%d")
    return _layout(fig, title, t("axis_date", lang), unit, lang)


def _forecast_fan(fig: go.Figure, days: pd.DataFrame, ahead: pd.Series, unit: str, lang: str) -> None:
    known = days[days["actual_cumulative"].notna()]
    if known.empty or known["day"].iloc[-1] >= days["day"].iloc[-1]:
        return  # nothing spent yet to start from, or the year is over: the actual line is the outcome
    x = [known["day"].iloc[-1], days["day"].iloc[-1]]
    start = float(known["actual_cumulative"].iloc[-1]) / float(MONEY_UNITS[unit])
    at = {c: float(ahead[c]) * float(ahead["budget"]) / float(MONEY_UNITS[unit]) for c in ("low", "forecast", "high")}
    fig.add_scatter(x=x, y=[start, at["low"]], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip")
    fig.add_scatter(
        x=x,
        y=[start, at["high"]],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor=BAND,
        name=t("legend_band", lang, low=f"{float(ahead['low']):.1%}", high=f"{float(ahead['high']):.1%}"),
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=x,
        y=[start, at["forecast"]],
        mode="lines+markers",
        line={"color": ACTUAL, "dash": "dash", "width": 2},
        name=t("legend_forecast", lang, rate=f"{float(ahead['forecast']):.1%}"),
    )


HEATMAP_ROW, HEATMAP_MARGINS = 26, 200  # px per project row; title, axis labels and gaps


def status_heatmap(cells: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Projects × 二级指标, coloured by the worst state in each cell, labelled met/total.

    `cells` is queries/pages/indicator_heatmap.sql (worst: 0 all met, 1 not reported or
    qualitative, 2 off target).
    """
    cells = cells.assign(project_name=cells["project_name"].map(inert), level2=[inert(level_word(v, lang)) for v in cells["level2"]])
    order = list(cells.sort_values("first_seq")["level2"].drop_duplicates())  # 数量, 质量, … as in the targets table
    z = cells.pivot(index="project_name", columns="level2", values="worst")[order]
    labels = cells.assign(label=cells["met"].astype(str) + "/" + cells["indicators"].astype(str))
    text = labels.pivot(index="project_name", columns="level2", values="label")[order]
    scale = [[0.0, "#7cc196"], [0.33, "#7cc196"], [0.34, "#d0d0d0"], [0.66, "#d0d0d0"], [0.67, "#e0675a"], [1.0, "#e0675a"]]
    fig = go.Figure(
        go.Heatmap(
            z=z.values,
            x=list(z.columns),
            y=list(z.index),
            text=text.values,
            texttemplate="%{text}",
            zmin=0,
            zmax=2,
            colorscale=scale,
            xgap=3,
            ygap=3,
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            colorbar={
                "title": {"text": t("heat_legend", lang)},
                "tickvals": [0.33, 1, 1.67],
                "ticktext": [t("heat_met", lang), t("heat_pending", lang), t("heat_off", lang)],
            },
        )
    )
    fig.update_layout(
        title={"text": inert(title), "x": 0, "xanchor": "left"},
        xaxis_title=t("axis_level2", lang),
        yaxis_title=t("axis_project", lang),
        margin={"t": 60, "l": 60, "r": 20, "b": 50},
        height=HEATMAP_MARGINS + HEATMAP_ROW * len(z.index),  # a row per project, each named, its cell text readable
        font={"family": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"},
    )
    fig.update_yaxes(autorange="reversed", automargin=True)  # long project names push the axis title out of view otherwise
    return fig


def explore_chart(
    result: pd.DataFrame, groups: list[str], axis_labels: list[str], value_label: str, title: str, heatmap: bool
) -> go.Figure:
    """The 即席查询 result as bars by one dimension, or by two as grouped bars (second dimension
    in the legend) or a heatmap. `result` has the group columns and `value` in display units."""
    frame = result.assign(**{g: result[g].astype("string").fillna("—").map(inert) for g in groups})
    fig = go.Figure()
    if len(groups) == 1:
        fig.add_bar(x=frame[groups[0]], y=frame["value"], name=value_label, marker_color=ACTUAL)
    else:
        table = frame.pivot_table(index=groups[1], columns=groups[0], values="value", aggfunc="first", sort=False)
        if heatmap:
            fig.add_heatmap(
                z=table.values, x=list(table.columns), y=list(table.index), colorscale="Blues", colorbar={"title": {"text": value_label}}
            )
        else:
            for name, row in table.iterrows():  # one trace per value of the second dimension
                fig.add_bar(x=list(table.columns), y=row.values, name=str(name))
            fig.update_layout(barmode="group", legend_title_text=axis_labels[1])
    fig.update_layout(
        title={"text": inert(title), "x": 0, "xanchor": "left"},
        xaxis_title=axis_labels[0],
        yaxis_title=axis_labels[1] if heatmap and len(groups) == 2 else value_label,
        margin={"t": 60, "l": 60, "r": 20, "b": 50},
        font={"family": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"},
    )
    fig.update_xaxes(type="category")
    if not heatmap or len(groups) == 1:
        fig.update_yaxes(tickformat=",.2f")
    return fig


STATUS_BARS = {"red": ("#d9534f", "bul_legend_red"), "amber": ("#f0ad4e", "bul_legend_yellow"), "green": ("#5cb85c", "bul_legend_green")}


def bulletin_chart(units: pd.DataFrame, time_progress: float, lang: str, title: str) -> go.Figure:
    """The units of a 支出进度通报 as horizontal bars of their execution rate (highest rank on top),
    coloured by their list (red, yellow, on track), with each unit's plan progress and its forecast
    year-end rate (when there is one) as markers and 序时进度 as a dashed reference line. `units` holds
    rows of queries/pages/bulletin_units.sql with the outlook's forecast_rate (monitor.rules.bulletin)."""
    fig = go.Figure()
    names = units["name"].map(inert)
    for status, (colour, legend) in STATUS_BARS.items():
        part = units["status"] == status
        fig.add_bar(
            y=names[part],
            x=units.loc[part, "execution_rate"].astype(float) * 100,
            orientation="h",
            name=t(legend, lang),
            marker_color=colour,
            hovertemplate="%{y}: %{x:.2f}%<extra></extra>",
        )
    fig.add_scatter(
        y=names,
        x=units["planned_rate"].astype(float) * 100,
        mode="markers",
        name=t("bul_legend_plan", lang),
        marker={"symbol": "line-ns-open", "size": 14, "color": "#1f1f1f", "line": {"width": 2}},
        hovertemplate="%{y}: %{x:.2f}%<extra></extra>",
    )
    if units["forecast_rate"].notna().any():
        fig.add_scatter(
            y=names,
            x=units["forecast_rate"].astype(float) * 100,
            mode="markers",
            name=t("bul_legend_forecast", lang),
            marker={"symbol": "diamond-open", "size": 9, "color": ACTUAL, "line": {"width": 2}},
            hovertemplate="%{y}: %{x:.2f}%<extra></extra>",
        )
    fig.add_vline(x=time_progress * 100, line={"color": REFERENCE, "dash": "dash"})
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="lines",
        name=t("bul_legend_time", lang, rate=f"{time_progress:.1%}"),
        line={"color": REFERENCE, "dash": "dash"},
    )
    fig.update_layout(
        title={"text": inert(title), "x": 0, "xanchor": "left"},
        xaxis_title=t("bul_axis_rate", lang),
        yaxis_title=t("bul_axis_unit", lang),
        barmode="overlay",
        height=160 + 24 * len(units),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"t": 80, "l": 60, "r": 20, "b": 50},
        font={"family": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"},
    )
    # automargin: long unit names pushed the 单位 title into them; the range keeps the 序时进度 line in view
    fig.update_yaxes(categoryorder="array", categoryarray=list(names)[::-1], automargin=True)
    rates = pd.concat([units[c].astype(float) for c in ("execution_rate", "planned_rate", "forecast_rate")]).dropna()
    fig.update_xaxes(ticksuffix="%", range=[0, max([time_progress, *rates]) * 100 * 1.05])
    return fig
