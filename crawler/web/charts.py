"""Counts over time as an SVG chart drawn by matplotlib on the server (no script in the page).

matplotlib is imported here, on the first chart request, not when the app starts.
"""
from __future__ import annotations

import io

MAX_SERIES = 12  # more lines than this are unreadable: the rest are summed as "other"


def _top_series(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    ranked = sorted(counts, key=lambda k: -sum(counts[k].values()))
    if len(ranked) <= MAX_SERIES:
        return counts
    out = {k: counts[k] for k in ranked[:MAX_SERIES - 1]}
    other: dict[str, int] = {}
    for key in ranked[MAX_SERIES - 1:]:
        for day, n in counts[key].items():
            other[day] = other.get(day, 0) + n
    out["other"] = other
    return out


def counts_svg(counts: dict[str, dict[str, int]], title: str, ylabel: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    series = _top_series(counts)
    days = sorted({day for per_day in series.values() for day in per_day})
    fig = Figure(figsize=(8, 3.2), dpi=100)
    ax = fig.add_subplot()
    if not days:
        ax.text(0.5, 0.5, "nothing stored yet", ha="center", va="center", transform=ax.transAxes)
    for key, per_day in sorted(series.items()):
        values = [per_day.get(day, 0) for day in days]
        # Bars when there is a single day (a line through one point is invisible).
        if len(days) == 1:
            ax.bar([f"{key}"], values, label=key)
        else:
            ax.plot(days, values, marker="o", label=key)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    if days:
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    if len(days) == 1:
        ax.set_xlabel(days[0])
    if series:
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
