"""The browser page without a browser (solara.render), and its controls' derivation."""

from __future__ import annotations

import re

import ipyvuetify as vw
import ipywidgets
import numpy as np
import pytest

solara = pytest.importorskip("solara")

from trustnet.core.parameters import PARAMETERS  # noqa: E402
from trustnet.core.scenarios import SCENARIOS, scenario_params  # noqa: E402
from trustnet.viz import app as viz_app  # noqa: E402
from trustnet.viz.controls import SEED_CONTROL, label, main_parameters, model_params  # noqa: E402
from trustnet.viz.figures import network_layout  # noqa: E402


@pytest.fixture
def page():
    viz_app.scenario.set(viz_app.DEFAULT_SCENARIO)
    _, rc = solara.render(solara.AppLayout(children=[viz_app.Page()]), handle_error=False)
    yield rc
    rc.close()


def _time(rc) -> str:
    texts = [w.children[0] for w in rc.find(vw.Html, tag="span").widgets
             if w.children and str(w.children[0]).startswith("Time:")]
    assert len(texts) == 1
    return texts[0]


def _status(rc) -> str:
    return re.sub(r"<[^>]+>", " ", rc.find(solara.widgets.HTML).widget.unsafe_innerHTML)


def _image(rc, name: str) -> bytes:
    found = [w for w in rc.find(ipywidgets.Image).widgets if name in w._dom_classes]
    assert len(found) == 1, name
    return found[0].value


def test_step_advances_time_and_redraws_plots(page):
    assert _time(page) == "Time: 0.0"
    trust_before = _image(page, "tn-plot-trust")
    network_before = _image(page, "tn-network")
    assert trust_before[:4] == b"\x89PNG" and network_before[:4] == b"\x89PNG"
    page.find(vw.Btn, children=["Step"]).widget.click()
    assert _time(page) == "Time: 1.0"
    assert re.search(r"month\s+1\b", _status(page))
    assert _image(page, "tn-plot-trust") != trust_before


def test_controls_come_from_declarations():
    for name in SCENARIOS:
        values = scenario_params(name)
        params = model_params(name)
        controls = {k: v for k, v in params.items() if isinstance(v, dict)}
        assert set(controls) == {p.name for p in main_parameters()} | {SEED_CONTROL}
        for p in main_parameters():
            c = controls[p.name]
            assert c["label"] == label(p) and c["value"] == values[p.name]
            if p.kind == "choice":
                assert c["type"] == "Select" and c["values"] == list(p.choices)
            elif p.kind == "bool":
                assert c["type"] == "Checkbox"
            else:
                assert c["type"] == ("SliderInt" if p.kind == "int" else "SliderFloat")
                assert c["min"] >= p.low and c["max"] <= p.high and c["min"] < c["max"]
                assert c["min"] > p.low if p.low_open else c["min"] == p.low
                assert c["min"] <= c["value"] <= c["max"]
        # everything else is passed through fixed, so a Reset keeps the scenario
        fixed = {k: v for k, v in params.items() if not isinstance(v, dict)}
        assert fixed == {k: v for k, v in values.items() if not PARAMETERS[k].main}


def test_page_shows_one_control_per_main_parameter(page):
    sliders = {w.label for w in page.find(vw.Slider).widgets}
    selects = {w.label for w in page.find(vw.Select).widgets}
    checks = {w.label for w in page.find(vw.Checkbox).widgets}
    for p in main_parameters():
        shown = {"choice": selects, "bool": checks}.get(p.kind, sliders)
        assert label(p) in shown, p.name


def test_slider_then_reset_rebuilds_with_new_value(page):
    page.find(vw.Btn, children=["Step"]).widget.click()
    page.find(vw.Slider, label=label(PARAMETERS["n_orgs"])).widget.v_model = 7
    page.find(vw.Btn, children=["Reset"]).widget.click()
    assert _time(page) == "Time: 0.0"
    assert "7 of 7 active" in _status(page)


def test_scenario_choice_resets_controls_and_model(page):
    page.find(vw.Select, label="scenario").widget.v_model = "small_shared"
    n = scenario_params("small_shared")["n_orgs"]
    assert page.find(vw.Slider, label=label(PARAMETERS["n_orgs"])).widget.v_model == n
    assert f"{n} of {n} active" in _status(page)
    assert "shared" in _status(page)


def test_layout_stays_put_across_models():
    first = viz_app.make_model(viz_app.DEFAULT_SCENARIO, seed=3)
    again = viz_app.make_model(viz_app.DEFAULT_SCENARIO, seed=3)
    for _ in range(5):
        first.step()
    a = network_layout(tuple(int(s) for s in first.orgs.sector))
    b = network_layout(tuple(int(s) for s in again.orgs.sector))
    assert np.array_equal(a, b)
    assert a.shape == (first.params["n_orgs"], 2)
    assert len({tuple(np.round(p, 9)) for p in a}) == len(a)  # no two members on one spot


def test_assets_missing_npm_is_one_clear_line(tmp_path, monkeypatch):
    from trustnet.viz import assets

    assert assets.missing(tmp_path) == assets.required_packages()
    assert any(s.startswith("@widgetti/solara-vuetify-app@") for s in assets.required_packages())
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm on it
    with pytest.raises(assets.AssetsError) as info:
        assets.ensure_assets(tmp_path / "cache", quiet=True)
    assert "npm not found" in str(info.value) and "\n" not in str(info.value)
    assert assets.main([str(tmp_path / "cache")]) == 2


def test_viz_without_its_browser_files_says_how_to_get_them(monkeypatch, capsys):
    import socket

    from trustnet.cli import main
    from trustnet.viz import launch

    def no_npm():
        raise launch.AssetsError("npm not found: the visualisation needs Solara's browser "
                                 "files; install Node.js/npm and run 'python -m "
                                 "trustnet.viz.assets'")

    monkeypatch.setattr(launch, "ensure_assets", no_npm)
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["viz", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("trustnet: error: npm not found")


def test_assets_complete_cache_needs_no_npm(tmp_path, monkeypatch):
    from trustnet.viz import assets

    for spec in assets.required_packages():
        (tmp_path / spec).mkdir(parents=True)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert assets.ensure_assets(tmp_path) == tmp_path
    monkeypatch.setenv(assets.ENV_DIR, str(tmp_path / "elsewhere"))
    assert assets.default_dir() == tmp_path / "elsewhere"


def test_serve_rejects_bad_input_with_exit_code_2(capsys):
    from trustnet.viz.launch import serve

    assert serve("no_such_scenario", port=8765) == 2
    err = capsys.readouterr().err
    assert "unknown scenario 'no_such_scenario'" in err and "swedish_eldercare" in err
    assert serve(port=0) == 2
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert serve(port=busy.getsockname()[1]) == 2
    assert "in use" in capsys.readouterr().err


def test_viz_without_its_extras_says_how_to_install_them(monkeypatch, capsys):
    import importlib.util

    from trustnet.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "solara" else real(name, *a))
    assert main(["viz"]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "needs solara" in err[0] and "bootstrap viz" in err[0]
    assert "http://" not in captured.out  # no address printed for a page that cannot come up
