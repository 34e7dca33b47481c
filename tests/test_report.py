"""`trustnet report`: one page per sweep, every figure with a line saying what it shows."""

from __future__ import annotations

import re

from trustnet.cli import main
from trustnet.experiment import run_sweep
from trustnet.experiment.report import caption

SPEC = {"name": "styles", "description": "Coordinating against directive.", "steps": 12,
        "replications": 4, "base": {"n_orgs": 8},
        "arms": [{"label": "coordinating", "nao_style": "coordinating"},
                 {"label": "directive", "nao_style": "directive"}],
        "axes": {"ambition": [0.5, 1.5]}, "outputs": {"series": ["mean_trust", "output"]}}


def test_report_says_what_was_run_compares_and_captions_every_figure(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep(SPEC, out, engine="serial", progress=False)
    assert main(["report", str(out), "--baseline", "coordinating", "--outcomes",
                 "mean_trust,output"]) == 0
    folder = out / "report"
    md = (folder / "report.md").read_text()
    assert md.startswith("# Sweep 'styles'") and "Coordinating against directive." in md
    assert "2 arms x 4 replications" not in md  # arms are crossed with the axis: 4 arms
    assert "4 arms x 4 replications = 16 runs of 12 months" in md
    assert "coordinating (ambition=0.5)" in md
    assert "## Each arm against 'coordinating'" in md and "| directive | ambition=0.5 |" in md
    images = re.findall(r"!\[(\w+)\]\((\w+\.png)\)\n\n\*(.+)\*", md)
    assert {stem for stem, _, _ in images} >= {"comparison", "by_label", "by_ambition",
                                                "series"}
    for stem, path, text in images:
        assert (folder / path).stat().st_size > 5_000 and len(text) > 20, stem
    page = (folder / "report.html").read_text()
    assert page.count("<figure>") == len(images) and "<table" in page
    assert "trustnet 0.1.0" not in page  # the code's version, not a stale install's


def test_every_standard_figure_has_a_caption():
    dims = [("label", "categorical"), ("ambition", "numeric"), ("takeover", "sampled")]
    for stem in ("by_label", "by_ambition", "heatmap_label_ambition", "scatter_takeover",
                 "series", "distributions", "comparison"):
        assert len(caption(stem, dims)) > 20, stem
    assert "ambition" in caption("by_ambition", dims)


def test_report_with_an_unknown_baseline_is_one_line(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep({**SPEC, "steps": 2, "replications": 2, "outputs": {}}, out, engine="serial",
              progress=False)
    capsys.readouterr()
    assert main(["report", str(out), "--baseline", "nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "baseline 'nope'" in err[0]
