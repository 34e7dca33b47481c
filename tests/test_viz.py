"""The browser page without a browser (solara.render), and its controls' derivation."""

from __future__ import annotations

import re
from pathlib import Path

import ipyvuetify as vw
import ipywidgets
import numpy as np
import pytest

solara = pytest.importorskip("solara")

from trustnet.core.parameters import PARAMETERS  # noqa: E402
from trustnet.core.scenarios import SCENARIOS, scenario_params  # noqa: E402
from trustnet.viz import app as viz_app  # noqa: E402
from trustnet.viz import setup as su  # noqa: E402
from trustnet.viz.controls import control, main_parameters  # noqa: E402
from trustnet.viz.figures import TIME_FIGURES, live_time_plot, network_layout  # noqa: E402
from trustnet.viz.panels import control_label  # noqa: E402
from trustnet.viz.snapshot import series  # noqa: E402

OWN = str(Path(__file__).resolve().parents[1] / "experiments" / "own_network"
          / "regional_network.toml")


@pytest.fixture
def page(monkeypatch):
    monkeypatch.delenv(viz_app.ENV_SCENARIO, raising=False)
    _, rc = solara.render(solara.AppLayout(children=[viz_app.Page()]), handle_error=False)
    yield rc
    rc.close()


def _status(rc) -> str:
    found = [w for w in rc.find(solara.widgets.HTML).widgets if "tn-stat" in w.unsafe_innerHTML]
    assert len(found) == 1
    return re.sub(r"<[^>]+>", " ", found[0].unsafe_innerHTML)


def _month(rc) -> int:
    return int(re.search(r"month\s+(\d+)", _status(rc)).group(1))


def _image(rc, name: str) -> bytes:
    found = [w for w in rc.find(ipywidgets.Image).widgets if name in w._dom_classes]
    assert len(found) == 1, name
    return found[0].value


def _button(rc, text: str):
    return rc.find(vw.Btn, children=[text]).widget


def _texts(rc) -> str:
    return " ".join(str(c) for w in rc.find(vw.Html, tag="span").widgets
                    for c in (w.children or [])
                    if isinstance(c, str))


def test_step_advances_the_month_and_redraws_plots(page):
    assert _month(page) == 0
    trust_before = _image(page, "tn-plot-trust")
    network_before = _image(page, "tn-network")
    assert trust_before[:4] == b"\x89PNG" and network_before[:4] == b"\x89PNG"
    _button(page, "Step").click()
    assert _month(page) == 1
    assert _image(page, "tn-plot-trust") != trust_before


def test_controls_use_the_declarations_words_and_show_their_values(page):
    texts = _texts(page)
    selects = {w.label for w in page.find(vw.Select).widgets}
    checks = {w.label for w in page.find(vw.Checkbox).widgets}
    values = scenario_params(viz_app.DEFAULT_SCENARIO)
    for p in main_parameters():
        words = control_label(p)
        assert words.startswith(p.label)
        if p.kind == "choice":
            assert words in selects, p.name
        elif p.kind == "bool":
            assert words in checks, p.name
        else:
            assert f"{words}: {values[p.name]}" in texts, p.name  # the value beside the slider
    for jargon in ("Use Threads", "Render Interval", "Play Interval"):
        assert jargon not in texts and jargon not in selects | checks


def test_controls_come_from_declarations():
    for name in SCENARIOS:
        values = scenario_params(name)
        for p in main_parameters():
            if p.kind not in ("int", "float"):
                continue
            c = control(p, values[p.name])
            assert c["min"] >= p.low and c["max"] <= p.high and c["min"] < c["max"]
            assert c["min"] > p.low if p.low_open else c["min"] == p.low
            assert c["min"] <= c["value"] <= c["max"]


def test_slider_then_reset_rebuilds_with_new_value_and_says_so_before(page):
    _button(page, "Step").click()
    slider = next(iter(page.find(vw.Slider).widgets))  # the first main parameter: n_orgs
    slider.v_model = 7
    assert "Reset applies" in _texts(page) and "40 → 7" in _texts(page)
    assert _month(page) == 1  # nothing changes before the Reset
    _button(page, "Reset").click()
    assert _month(page) == 0 and "7 of 7 active" in _status(page)
    assert "Reset applies" not in _texts(page)


def test_all_parameters_panel_reaches_every_declaration_and_refuses_in_one_line(page):
    _button(page, "▸ All parameters (85)").click()
    for group in {p.group for p in PARAMETERS.values()}:
        n = sum(p.group == group for p in PARAMETERS.values())
        _button(page, f"▸ {group} ({n})").click()
    fields = {w.label: w for w in page.find(vw.TextField).widgets}
    shown = {w.label for w in page.find(vw.Select).widgets} | set(fields) | {
        w.label for w in page.find(vw.Checkbox).widgets}
    for p in PARAMETERS.values():
        assert any(t.startswith(p.label) for t in shown), p.name
    field = next(w for t, w in fields.items() if t.startswith(PARAMETERS["forgetting"].label))
    field.v_model = "7"
    field.fire_event("keyup.enter", None) if hasattr(field, "fire_event") else None
    errors = [t for t in _texts(page).split("  ") if "parameter 'forgetting'" in t]
    assert errors and "allowed" in errors[0] and "\n" not in errors[0]


def test_own_network_scenario_names_its_members_and_given_ties(page):
    found = su.choices(folder=Path(OWN).parents[2])
    assert any(k.endswith("regional_network.toml") for k in found)
    select = page.find(vw.Select, label="scenario or scenario file").widget
    listed = [v for v in select.items if str(v).endswith("regional_network.toml")]
    assert listed, select.items  # found under the working directory (the project's root)
    select.v_model = listed[0]
    status = _status(page)
    assert "23 of 23 active" in status
    members = [w.unsafe_innerHTML for w in page.find(solara.widgets.HTML).widgets
               if "tn-table" in w.unsafe_innerHTML]
    assert any("Regional Hospital" in m for m in members)  # names from the roster
    assert any("given trust" in m and "University Hospital" in m for m in members)
    assert "members: 23" in _texts(page).replace(" (organisations)", "")  # from the roster


def test_setup_changes_are_validated_like_the_command_line():
    setup = su.load(viz_app.DEFAULT_SCENARIO)
    changed = su.with_parameter(setup, "ambition", "1.5")
    assert changed.params["ambition"] == 1.5 and setup.params["ambition"] != 1.5
    assert changed.changed == ("ambition",)
    with pytest.raises(ValueError, match=r"parameter .ambition.*allowed"):
        su.with_parameter(setup, "ambition", "-1")
    with pytest.raises(ValueError, match="unknown parameter"):
        su.with_parameter(setup, "ambitoin", 1.0)
    with_event = su.with_event(setup, {"month": 36, "action": "withdraw_coordinator"})
    with_event = su.with_event(with_event, {"month": 12, "set": {"ambition": 1.2}})
    assert [e["month"] for e in with_event.events] == [12, 36]  # kept in month order
    assert su.event_text(with_event.events[1]) == "month 36: withdraw coordinator"
    with pytest.raises(ValueError, match="needs a coordinator's post"):
        su.with_parameter(with_event, "governance", "shared")
    with pytest.raises(ValueError, match=r"event 1.*month"):
        su.with_event(setup, {"month": 0, "action": "withdraw_coordinator"})
    own = su.load(OWN)
    with pytest.raises(ValueError, match="roster sets the network's size"):
        su.with_parameter(own, "n_orgs", 30)
    with pytest.raises(ValueError, match="name"):
        su.with_event(own, {"month": 5, "action": "member_leaves", "name": "Nobody"})
    roster = su.load(str(Path(OWN).with_name("members.csv")))
    assert roster.names == own.names and roster.ties is None
    assert roster.build().orgs.n == 23
    with pytest.raises(ValueError, match=r"nothing\.csv"):
        su.load("nothing.csv")
    leaves = su.with_event(own, {"month": 5, "action": "member_leaves",
                                 "name": own.names[0]})
    assert su.without_event(leaves, len(leaves.events) - 1).events == own.events
    with pytest.raises(ValueError, match="no such event"):
        su.without_event(own, len(own.events))
    model = su.with_seed(with_event, 3).build()
    for _ in range(36):
        model.step()
    assert not model.coordinator.present  # the event ran


def test_an_added_event_runs_and_is_marked_on_the_plots(page):
    before = _image(page, "tn-plot-strain")
    month = page.find(vw.TextField, label="month (1 = the first)").widget
    month.v_model = "3"
    page.find(vw.Select, label="what happens").widget.v_model = "withdraw_coordinator"
    _button(page, "Add event").click()
    assert "month 3: withdraw coordinator" in _texts(page)
    _button(page, "Reset").click()
    assert _image(page, "tn-plot-strain") != before  # the frame marks month 3
    for _ in range(3):
        _button(page, "Step").click()
    assert "withdrawn" in _status(page)


def test_layout_stays_put_across_models():
    setup = su.with_seed(su.load(viz_app.DEFAULT_SCENARIO), 3)
    first, again = setup.build(), setup.build()
    for _ in range(5):
        first.step()
    a = network_layout(tuple(int(s) for s in first.orgs.sector))
    b = network_layout(tuple(int(s) for s in again.orgs.sector))
    assert np.array_equal(a, b)
    assert a.shape == (first.params["n_orgs"], 2)
    assert len({tuple(np.round(p, 9)) for p in a}) == len(a)  # no two members on one spot


def test_live_figures_draw_the_frame_once_and_the_data_each_month():
    model = su.load(viz_app.DEFAULT_SCENARIO).build()
    draw = live_time_plot("trust")
    pictures = []
    for _ in range(5):
        model.step()
        pictures.append(draw(series(model)))
    assert draw.live.frames_drawn == 1 and len(set(pictures)) == 5
    for _ in range(20):  # past month 24: the time axis moves on a year, a new frame
        model.step()
    draw(series(model))
    assert draw.live.frames_drawn == 2
    static = TIME_FIGURES["trust"](series(model))
    assert static.axes[0].get_xlim() == (0.0, 36.0)


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


def test_play_steps_a_month_only_after_the_last_is_shown(monkeypatch):
    import threading
    from types import SimpleNamespace

    from trustnet.viz import panels

    events: list[str] = []
    drawn = threading.Event()
    playing = SimpleNamespace(value=True, set=lambda v: setattr(playing, "value", v))
    model = SimpleNamespace(value=SimpleNamespace(running=True,
                                                  step=lambda: events.append("step")))
    pace = SimpleNamespace(value=next(iter(panels.PACES)))

    def shown():  # the page renders the month in another thread, a little later
        def later():
            events.append("shown")
            if events.count("shown") == 3:
                playing.value = False
            drawn.set()
        threading.Timer(0.05, later).start()

    monkeypatch.setattr(panels, "force_update", shown)
    panels.play_loop(model, playing, pace, threading.RLock(), drawn)
    assert events == ["step", "shown"] * 3


def test_a_months_network_view_keeps_that_months_state():
    from trustnet import TrustNetworkModel
    from trustnet.viz.snapshot import snapshot

    model = TrustNetworkModel(rng=3, n_orgs=30, meeting_interval=1)
    model.step()
    first = snapshot(model)
    attending, commitment = first.attending.copy(), first.states["commitment"].copy()
    for _ in range(5):
        model.step()
    assert not np.array_equal(model.orgs.attending, attending)  # the model moved on
    assert np.array_equal(first.attending, attending)
    assert np.array_equal(first.states["commitment"], commitment)
