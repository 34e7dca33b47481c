"""One page per sweep: what was run, each arm against a baseline, and the figures, each with a
line saying what it shows (Markdown and HTML, in ``DIR/report/``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def plot_columns(result: Any, outcomes: Sequence[str] | None = None) -> list[str]:
    """The outcome columns a sweep's figures show: those asked for, else the spec's
    ``[outputs] plot``, else the main outcomes that vary between runs."""
    from trustnet.core.reporters import MAIN_OUTCOMES, outcome
    from trustnet.experiment.tables import ok_runs, outcome_column

    names = list(outcomes or result.manifest.get("plot") or MAIN_OUTCOMES)
    for name in names:
        outcome(name)  # ValueError names an unknown one
    columns = [outcome_column(n) for n in names]
    if outcomes or result.manifest.get("plot"):
        return columns
    ok = ok_runs(result.runs)
    return [c for c in columns if c in ok.columns and ok[c].nunique() > 1]


def caption(stem: str, dims: Sequence[tuple[str, str]]) -> str:
    """One line on what the figure ``stem`` of :func:`trustnet.plots.sweep_figures` shows."""
    from trustnet.experiment.tables import label as column_label

    label = {name: column_label(name) for name, _ in dims}
    if stem.startswith("by_"):
        return (f"Each outcome's mean over replications with its 95% interval, against "
                f"{label.get(stem[3:], stem[3:])}.")
    if stem.startswith("heatmap_"):
        pair = next(((x, y) for x, _ in dims for y, _ in dims
                     if stem == f"heatmap_{x}_{y}"), (stem[8:],))
        return ("The mean of each outcome over " + " and ".join(label.get(n, n) for n in pair)
                + " (one cell per combination).")
    if stem.startswith("scatter_"):
        return (f"Each run's outcomes against the sampled {label.get(stem[8:], stem[8:])}, "
                "one point per run.")
    if stem == "series":
        return "Mean trajectories over replications, month by month, with 95% bands."
    if stem == "distributions":
        return "How each outcome spreads over the runs."
    if stem == "comparison":
        return ("Each arm's difference from the baseline with its 95% interval; the grey band "
                "is the difference too small to matter (the outcome's smallest effect of "
                "interest), the colour the flag.")
    return ""


def write_report(result: Any, folder: str | Path, *, baseline: str | None = None,
                 outcomes: Sequence[str] | None = None) -> tuple[Path, Path]:
    """Write ``report.md`` and ``report.html`` (with their figures) into ``folder``."""
    from trustnet.experiment.compare import compare, markdown
    from trustnet.plots import comparison_figure, sweep_figures

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = result.manifest
    dims = [tuple(d) for d in manifest.get("dims", [])]
    from trustnet.experiment.tables import ok_runs

    if ok_runs(result.runs).empty:
        raise ValueError("every run of the sweep failed (see the error column of the runs "
                         "table): there is nothing to report")
    columns = plot_columns(result, outcomes)
    if not columns:
        raise ValueError("no outcome varies between the runs; name outcomes with --outcomes")
    figures = sweep_figures(result.runs, result.series, dims, columns)
    table = None
    if baseline is not None:
        table = compare(result, baseline, outcomes)
        figures = {"comparison": comparison_figure(table, baseline), **figures}
    shown = []
    for stem, fig in figures.items():
        fig.savefig(folder / f"{stem}.png", dpi=100)
        shown.append((stem, f"{stem}.png", caption(stem, dims)))
    facts = _facts(result)
    title = f"Sweep '{manifest.get('name', '?')}'"
    md = [f"# {title}", "", manifest.get("description", "").strip(), "", "## What was run", ""]
    md += [f"- {k}: {v}" for k, v in facts]
    if table is not None:
        md += ["", f"## Each arm against '{baseline}'", "", markdown(table, baseline)]
    md += ["", "## Figures", ""]
    for stem, path, text in shown:
        md += [f"![{stem}]({path})", "", f"*{text}*", ""]
    md_path, html_path = folder / "report.md", folder / "report.html"
    md_path.write_text("\n".join(md), encoding="utf-8")
    html_path.write_text(_html(title, manifest.get("description", ""), facts, table, baseline,
                               shown), encoding="utf-8")
    return md_path, html_path


def _facts(result: Any) -> list[tuple[str, str]]:
    m = result.manifest
    versions = m.get("versions", {})
    git = m.get("git") or {}
    sessions = m.get("sessions", [])
    axes = [d[0] for d in m.get("dims", []) if d[1] != "sampled" and d[0] != "label"]

    def arm(a: dict[str, Any]) -> str:
        values = ", ".join(f"{k}={v}" for k, v in a.get("varied", {}).items()
                           if k in axes or not a.get("label"))
        if a.get("label"):
            return f"{a['label']} ({values})" if values else a["label"]
        return values or "base"

    arms = "; ".join(arm(a) for a in m.get("arms", [])[:12])
    if len(m.get("arms", [])) > 12:
        arms += f", ... ({len(m['arms'])} in all)"
    return [
        ("spec", f"`{m.get('spec_source', '?')}`"),
        ("design", f"{m.get('n_arms')} arms x {m.get('replications')} replications = "
                   f"{m.get('n_runs')} runs of {m.get('steps')} months; master seed "
                   f"{m.get('master_seed')} (replication r has the same seed in every arm)"),
        ("arms", arms or "one"),
        ("status", f"{m.get('status')}: {m.get('runs_written', len(result.runs))} runs written, "
                   f"{m.get('runs_failed', 0)} failed"),
        ("compute", f"{m.get('elapsed_s_total', '?')} s in {len(sessions)} session(s)"
                    + (f", engine {sessions[-1].get('engine')} with {sessions[-1].get('workers')} "
                       "workers" if sessions else "")),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items()
                               if k in ("trustnet", "mesa", "numpy", "python"))),
        ("git revision", (git.get("commit", "?")[:10] + (" with uncommitted changes"
                                                         if git.get("dirty") else ""))
         if git else "unknown"),
    ]


def _html(title: str, description: str, facts: list[tuple[str, str]], table: Any,
          baseline: str | None, shown: list[tuple[str, str, str]]) -> str:
    e = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title>",
             "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;}"
             "table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;"
             "padding:0.2em 0.5em}figure{margin:1.5em 0}img{max-width:100%}"
             "figcaption{font-style:italic}</style></head><body>",
             f"<h1>{e(title)}</h1>", f"<p>{e(description.strip())}</p>", "<h2>What was run</h2>",
             "<ul>" + "".join(f"<li>{e(k)}: {e(v.replace('`', ''))}</li>" for k, v in facts)
             + "</ul>"]
    if table is not None:
        shown_table = table[["arm", "context", "label", "baseline_mean", "arm_mean",
                             "difference", "ci_low", "ci_high", "relative", "sesoi", "flag",
                             "n"]].rename(columns={"context": "at", "label": "outcome"})
        parts += [f"<h2>Each arm against '{e(baseline)}'</h2>",
                  shown_table.to_html(index=False, float_format=lambda x: f"{x:.3g}",
                                      na_rep="-")]
    parts.append("<h2>Figures</h2>")
    for stem, path, text in shown:
        parts.append(f"<figure><img src='{e(path)}' alt='{e(stem)}'>"
                     f"<figcaption>{e(text)}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts)
