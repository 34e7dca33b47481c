"""The ``trustnet`` command line: one run, sweeps, sensitivity analysis, plots, tables, viz.

Only the standard library is imported at module level, so ``trustnet --help`` answers at once;
each subcommand imports what it needs. Bad input (unknown parameter or scenario, bad value,
missing or bad spec file) ends with one line ``trustnet: error: ...`` and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import textwrap
import time
from typing import Any, NoReturn

PROG = "trustnet"
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


class Interrupted(Exception):
    """Ctrl-C (exit code 130) or SIGTERM (143) during a sweep: finished runs are kept; reported
    in one line."""

    def __init__(self, message: str, code: int = 130, what: str = "interrupted") -> None:
        super().__init__(message)
        self.code, self.what = code, what


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line (no usage dump), in the same form as ours."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{PROG}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=88)


def _fmt_epilog(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def _add_engine_arguments(p: argparse.ArgumentParser, what: str) -> None:
    """Where and how the runs of a sweep or an analysis execute."""
    p.add_argument("--workers", type=_workers, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("--engine", choices=("processes", "serial", "dask"), default=None,
                   help="where runs execute: processes (default, all cores), serial, or dask "
                        "(a LocalCluster unless --scheduler is given)")
    p.add_argument("--scheduler", metavar="ADDRESS", type=_text,
                   help="Dask scheduler to use, e.g. tcp://host:8786 (implies --engine dask)")
    p.add_argument("--resume", action="store_true", help=f"continue an interrupted {what} in DIR")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_analysis_arguments(p: argparse.ArgumentParser) -> None:
    """The sweep folder an analysis reads, and whether an incomplete one will do."""
    p.add_argument("dir", metavar="DIR", help="output folder of trustnet sweep")
    p.add_argument("--partial", action="store_true",
                   help="analyse an incomplete sweep (the runs written so far)")


def int_at_least(minimum: int):
    """An argparse type: an integer >= ``minimum``, refused in one line otherwise."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"got {text!r}; allowed: an integer >= {minimum}")
        return value
    return parse


_positive_int = int_at_least(1)
_seed = int_at_least(0)
WORKERS_PER_CORE = 4  # more processes than this per core only cost memory


def _text(text: str) -> str:
    """An argparse type: any text but an empty one (which would silently mean the default)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("got ''; allowed: a non-empty value")
    return text


def _workers(text: str) -> int:
    from trustnet.experiment.engines import default_workers

    value = _positive_int(text)
    cap = WORKERS_PER_CORE * default_workers()
    if value > cap:
        raise argparse.ArgumentTypeError(
            f"got {value}; allowed: at most {cap} ({WORKERS_PER_CORE} per usable core)")
    return value


def _steps(text: str) -> int:
    from trustnet.experiment.spec import MAX_STEPS

    value = _positive_int(text)
    if value > MAX_STEPS:
        raise argparse.ArgumentTypeError(f"got {value}; allowed: an integer in [1, {MAX_STEPS}]")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: an integer in [1, 65535]")
    return value


def build_parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG, formatter_class=raw,
        description=_wrap("Agent-based model of trust dynamics in interorganisational health and "
                    "social care networks: single runs, parameter sweeps, sensitivity analysis."),
        epilog=_fmt_epilog("""
            examples:
              trustnet run --scenario belgian_mandated --set ambition=1.5 --plot run.png
              trustnet sweep experiments/showcase.toml --out results/showcase
              trustnet plot results/showcase
              trustnet sensitivity experiments/sensitivity.toml --method morris
              trustnet params
            """))
    from trustnet import __version__
    from trustnet.experiment.sensitivity import METHODS

    parser.add_argument("--version", action="version", version=f"trustnet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "run", help="one run: summary table, time series file, optional plot",
        formatter_class=raw,
        description=_wrap("Run the model once and print a summary: a few mid-run values and a "
                          "table of key outcomes at the end."),
        epilog=_fmt_epilog("""
            examples:
              trustnet run
              trustnet run --scenario small_shared --steps 60 --seed 3
              trustnet run --set governance=lead --set nao_style=directive --out run.parquet
              trustnet run --set takeover=0.9 --out series.csv --plot series.png
              trustnet run --event 13:relationship_time=0.6 --event 25:relationship_time=0.2
              trustnet run --event 36:withdraw_coordinator --event 13:nao_style=directive
            """))
    p.add_argument("--scenario", default=None, type=_text,
                   help="named scenario (trustnet scenarios) or scenario file; "
                   "default: swedish_eldercare")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter (repeatable; trustnet params lists them)")
    p.add_argument("--members", type=_text, metavar="CSV",
                   help="your own network: a roster with name, sector and optional power, "
                   "capacity, commitment, attendance (the network's size follows from it)")
    p.add_argument("--ties", type=_text, metavar="CSV",
                   help="existing ties between the roster's members: source, target and "
                   "optional trust, strength")
    p.add_argument("--sectors", type=_text, metavar="CSV",
                   help="your own sectors: sector and optional share, power, attendance "
                   "(built-in names keep their defaults where a value is left empty)")
    p.add_argument("--event", dest="events", action="append", default=[],
                   metavar="MONTH:CHANGE", help="a what-if at a month (repeatable; months count "
                   "from 1): MONTH:NAME=VALUE[,NAME=VALUE] sets parameters from then on, "
                   "MONTH:ACTION[:OPTION=VALUE] acts, with ACTION one of withdraw_coordinator, "
                   "appoint_coordinator[:style=S], impose_mandate, lift_mandate, "
                   "member_joins:name=NAME, member_leaves:name=NAME (with --members), "
                   "trust_shock:evidence=E")
    p.add_argument("--steps", type=_steps, default=120, help="months to run (default 120)")
    p.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    p.add_argument("--out", metavar="FILE", type=_text,
                   help="write the time series (.parquet or .csv)")
    p.add_argument("--plot", metavar="FILE", type=_text,
                   help="draw the time series (.png, .pdf or .svg)")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser(
        "sweep", help="run a sweep spec (TOML) into a resumable Parquet dataset",
        formatter_class=raw,
        description=_wrap("Run every arm and replication of a sweep spec. Results stream to DIR as "
                    "runs complete (runs/ and series/ Parquet datasets, manifest.json); an "
                    "interrupted sweep continues with --resume and computes nothing twice."),
        epilog=_fmt_epilog("""
            examples:
              trustnet sweep experiments/showcase.toml --out results/showcase
              trustnet sweep experiments/p01_ambition.toml --workers 2
              trustnet sweep spec.toml --out results/big --resume
              trustnet sweep spec.toml --scheduler tcp://HOST:8786      # a Dask cluster
            spec format: see experiments/README.md
            """))
    p.add_argument("spec", metavar="SPEC.toml", help="sweep specification")
    p.add_argument("--out", metavar="DIR", type=_text,
                   help="output folder (default results/<spec name>)")
    _add_engine_arguments(p, "sweep")
    p.add_argument("--chunk-size", type=_positive_int, metavar="N",
                   help="runs per task (default: automatic)")
    p.add_argument("--retry-failed", action="store_true",
                   help="with --resume: run the runs that failed again (e.g. after a fix)")
    p.set_defaults(handler=cmd_sweep)

    p = sub.add_parser(
        "sensitivity", help="global sensitivity analysis (SALib Morris or Sobol)",
        formatter_class=raw,
        description=_wrap("Sample the [sensitivity.ranges] of a spec with Morris trajectories or "
                    "Sobol (Saltelli) points, run them with replications (common random "
                    "numbers), and write the indices table and a figure."),
        epilog=_fmt_epilog("""
            examples:
              trustnet sensitivity experiments/sensitivity.toml --method morris
              trustnet sensitivity experiments/sensitivity.toml --method sobol --out results/sobol
            """))
    p.add_argument("spec", metavar="SPEC.toml", help="spec with a [sensitivity] table")
    p.add_argument("--method", choices=METHODS, required=True)
    p.add_argument("--out", type=_text, metavar="DIR",
                   help="output folder (default results/<spec name>_<method>)")
    _add_engine_arguments(p, "analysis")
    p.set_defaults(handler=cmd_sensitivity)

    p = sub.add_parser(
        "plot", help="standard figures of a sweep folder",
        formatter_class=raw,
        description=_wrap("Draw each outcome against the swept parameters (means with 95% "
                    "confidence bands over replications), heatmaps for pairs of swept "
                    "parameters, and mean trajectories when the series was kept. Figures go to "
                    "DIR/figures/."),
        epilog=_fmt_epilog("""
            examples:
              trustnet plot results/showcase
              trustnet plot results/showcase --outcomes mean_trust,output,attendance_mean
            """))
    p.add_argument("dir", metavar="DIR", help="output folder of trustnet sweep")
    p.add_argument("--outcomes", metavar="A,B,...", type=_text,
                   help="outcomes to draw (default: the spec's [outputs] plot, else the main "
                        "outcomes that vary)")
    p.add_argument("--all", action="store_true", help="every outcome that varies")
    p.add_argument("--format", choices=("png", "pdf", "svg"), default="png")
    p.set_defaults(handler=cmd_plot)

    p = sub.add_parser(
        "compare", help="every arm of a sweep against a baseline arm, with intervals and flags",
        formatter_class=raw,
        description=_wrap("Compare every arm of a sweep with a baseline arm on the main "
                    "outcomes, paired by replication seed: the difference in the outcome's "
                    "unit with its 95% interval, the relative change, and a flag from the "
                    "outcome's smallest effect of interest (clearly better, clearly worse, "
                    "negligible, not shown). With crossed dimensions each arm is compared with "
                    "the baseline at the same values of the others. Writes DIR/compare/ "
                    "(CSV, Markdown, forest plot)."),
        epilog=_fmt_epilog("""
            examples:
              trustnet compare results/showcase --baseline "NAO, coordinating"
              trustnet compare results/takeover --baseline takeover=0 --outcomes output,mean_trust
            """))
    _add_analysis_arguments(p)
    p.add_argument("--baseline", required=True, type=_text, metavar="ARM",
                   help="an arm's label, or NAME=VALUE of a swept parameter")
    p.add_argument("--outcomes", metavar="A,B,...", type=_text,
                   help="outcomes to compare (default: the main outcomes)")
    p.add_argument("--all", action="store_true", help="every outcome, not only the main ones")
    p.add_argument("--format", choices=("png", "pdf", "svg"), default="png")
    p.set_defaults(handler=cmd_compare)

    p = sub.add_parser(
        "discover", help="scenario discovery: the conditions under which runs end a given way",
        formatter_class=raw,
        description=_wrap("Which sampled parameter values lead to an outcome? Marks the runs "
                    "of a sweep over sampled parameters ([samples]) that meet --where, then "
                    "finds boxes of parameter space where they are dense with PRIM (the EMA "
                    "Workbench's) and rules with a shallow classification tree "
                    "(scikit-learn). Prints the chosen box and the rules, with coverage, "
                    "density and the runs behind each; writes DIR/discover/ (the trajectory, "
                    "the box, figures)."),
        epilog=_fmt_epilog("""
            examples:
              trustnet sweep experiments/collapse.toml
              trustnet discover results/collapse --where "active_members < 15 or mean_trust < 0.45"
              trustnet discover results/collapse --where "output < 20" --box 12
            """))
    _add_analysis_arguments(p)
    p.add_argument("--where", required=True, type=_text, metavar="CONDITION",
                   help="which runs: outcomes, numbers, comparisons, and, or, not")
    p.add_argument("--box", type=int_at_least(0), metavar="N",
                   help="the box on PRIM's peeling trajectory to report (default: the densest "
                        "that covers at least half of the runs)")
    p.add_argument("--format", choices=("png", "pdf", "svg"), default="png")
    p.set_defaults(handler=cmd_discover)

    p = sub.add_parser(
        "report", help="one page per sweep: what was run, the comparison, the figures",
        formatter_class=raw,
        description=_wrap("Write DIR/report/report.md and report.html: what was run (from "
                    "the manifest), every arm against --baseline (if given) with intervals "
                    "and flags, and the sweep's figures, each with a line saying what it "
                    "shows."),
        epilog=_fmt_epilog("""
            examples:
              trustnet report results/showcase --baseline "NAO, adaptive"
              trustnet report results/collapse
            """))
    _add_analysis_arguments(p)
    p.add_argument("--baseline", type=_text, metavar="ARM",
                   help="compare every arm with this one (an arm's label, or NAME=VALUE)")
    p.add_argument("--outcomes", metavar="A,B,...", type=_text,
                   help="outcomes to show (default: the spec's [outputs] plot, else the main "
                        "outcomes that vary)")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "params", help="the parameter table (default, range, unit, meaning, source)",
        formatter_class=raw, description=_wrap("Every model parameter with its default, allowed "
        "values, unit, meaning and source (\"no lit.\" marks a modelling choice)."),
        epilog=_fmt_epilog("""
            examples:
              trustnet params
              trustnet params --group coordinator
              trustnet params --format markdown > docs/parameters.md
            """))
    p.add_argument("--group", type=_text, help="only this group of parameters")
    p.add_argument("--format", choices=("text", "markdown", "csv"), default="text")
    p.set_defaults(handler=cmd_params)

    p = sub.add_parser(
        "scenarios", help="named scenarios with descriptions; 'new NAME' starts your own",
        formatter_class=raw,
        description=_wrap("Named scenarios: sets of parameter overrides grounded in the source "
                          "texts. 'trustnet scenarios new NAME' writes NAME.toml with a roster "
                          "and ties to start your own network from."),
        epilog=_fmt_epilog("""
            examples:
              trustnet scenarios
              trustnet run --scenario topdown_coordinative
              trustnet scenarios new regional_network --dir my_network
              trustnet run --scenario my_network/regional_network.toml
            """))
    p.add_argument("new", nargs="?", choices=["new"], help="write a scenario file template")
    p.add_argument("name", nargs="?", help="the new scenario's name (letters, digits, _ and -)")
    p.add_argument("--dir", type=_text, default=".",
                   help="folder for the new files (default: here)")
    p.set_defaults(handler=cmd_scenarios)

    p = sub.add_parser(
        "validate", help="reproduce the thirteen patterns and write docs/VALIDATION.md",
        formatter_class=raw,
        description=_wrap("Run the thirteen pattern sweeps (the p01..p13 specs of the experiments "
                          "folder), compare their arms statistically and write the report "
                          "(docs/VALIDATION.md) with its figures in a 'validation' folder next "
                          "to it. Results are kept in --out; an interrupted run continues where "
                          "it stopped, and results made with another spec or model source are "
                          "recomputed. Paths are relative to the current folder."),
        epilog=_fmt_epilog("""
            examples:
              trustnet validate                            # from the repository root
              trustnet validate --only p06,p12 --replications 20
              trustnet validate --experiments ~/trustnet/experiments --report report/VALIDATION.md
            also: python -m trustnet.validation [same options]
            """))
    p.add_argument("--out", type=_text, default=os.path.join("results", "validation"),
                   metavar="DIR",
                   help="folder for the sweep results (default: results/validation)")
    p.add_argument("--experiments", type=_text, default="experiments", metavar="DIR",
                   help="folder with the pattern specs p01_*.toml ... p12_*.toml (default: "
                        "experiments)")
    p.add_argument("--replications", type=_positive_int, default=None, metavar="N",
                   help="replications per arm (default: each spec's own; path dependence, "
                        "the correlation and network size scale theirs by the same ratio)")
    p.add_argument("--workers", type=_workers, default=None, metavar="N",
                   help="worker processes (default: all usable cores)")
    p.add_argument("--only", type=_pattern_list, default=None, metavar="p01,p02",
                   help="run only these patterns (the report keeps the others whose current "
                        "results are already in --out)")
    p.add_argument("--report", type=_text, default=os.path.join("docs", "VALIDATION.md"),
                   metavar="FILE",
                   help="the report to write; figures go to a 'validation' folder next to it "
                        "(default: docs/VALIDATION.md)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser(
        "viz", help="interactive browser visualisation (Solara)", formatter_class=raw,
        description=_wrap("Serve the interactive visualisation in a browser."),
        epilog=_fmt_epilog("""
            examples:
              trustnet viz
              trustnet viz --scenario belgian_mandated --port 8600
              trustnet viz --scenario experiments/own_network/regional_network.toml
              trustnet viz --host 0.0.0.0 --port 8765     # reachable from other machines
            """))
    p.add_argument("--scenario", type=_text, default=None,
                   help="built-in scenario or scenario file (.toml) to start from; the page "
                        "also lists the scenario files under the working directory")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765)")
    p.add_argument("--host", type=_text, default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.set_defaults(handler=cmd_viz)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return EXIT_USAGE
    except Interrupted as exc:
        sys.stderr.write(f"{PROG}: {exc.what}; {exc}\n")
        return exc.code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:  # e.g. `trustnet params | head`
        sys.stderr.close()
        return 0


# --- helpers ------------------------------------------------------------------------------

def _usage(exc: BaseException) -> UsageError:
    return UsageError(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))


def _check_scenario(name: str | None) -> str:
    from trustnet.core.scenarios import DEFAULT_SCENARIO, check_scenario

    try:
        return check_scenario(name or DEFAULT_SCENARIO)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _load_spec(path: str) -> Any:
    from trustnet.experiment.spec import SpecError, load_spec

    try:
        return load_spec(path)
    except SpecError as exc:
        raise _usage(exc) from None


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, r)) for r in rows]
    return "\n".join(s.rstrip() for s in out)


def _num(x: Any) -> str:
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        return f"{x:.0f}" if x.is_integer() and abs(x) < 1e6 else f"{x:.3f}"
    return str(x)


# Outcomes shown by `trustnet run` (those the metrics module defines, in this order).
KEY_OUTCOMES = ("mean_trust", "trust_density", "attendance_mean", "active_members",
                "projects_succeeded", "projects_failed", "success_rate", "output",
                "coordinator_task_share_mean", "volunteering", "coordinator_exits",
                "mean_coordinator_tenure", "coordinator_disillusionment_mean", "inclusion_gap",
                "share_cooperation", "share_coordination", "share_collaboration")
MIDRUN = ("mean_trust", "attendance", "active_members", "projects_succeeded", "output",
          "coordinator_task_share", "share_coordination")


# --- run ----------------------------------------------------------------------------------

def cmd_run(args: argparse.Namespace) -> int:
    from trustnet.core.parameters import DEFAULTS, parse_assignment
    from trustnet.core.scenarios import scenario_params
    from trustnet.scenario_files import ScenarioFileError, is_scenario_file, load_scenario_file

    file = None
    if is_scenario_file(args.scenario):
        try:
            file = load_scenario_file(args.scenario)
        except ScenarioFileError as exc:
            raise UsageError(str(exc)) from None
        scenario = file.base
    else:
        scenario = _check_scenario(args.scenario)
    overrides = dict(file.parameters) if file else {}
    for text in args.sets:
        try:
            name, value = parse_assignment(text)
        except ValueError as exc:
            raise UsageError(f"--set {text}: {exc}") from None
        overrides[name] = value
    roster = file.members if file else None
    given = file.ties if file else None
    sectors = file.sectors if file else None
    if args.ties and not args.members and roster is None:
        raise UsageError("--ties: given ties need the members they join (--members CSV)")
    if args.sectors:
        from trustnet.core.sectors import SectorError, read_sectors

        if roster is not None and not args.members:
            raise UsageError("--sectors: the scenario file's roster was read with its own "
                             "sectors; give --members too, or name the table in the file")
        try:
            sectors = read_sectors(args.sectors)
        except SectorError as exc:
            raise UsageError(str(exc)) from None
    if args.members:
        from trustnet.core.roster import RosterError, read_members, read_ties

        if "n_orgs" in overrides:
            raise UsageError("--set n_orgs: the roster (--members) sets the network's size; "
                             "give one or the other")
        try:
            roster = read_members(args.members, sectors)
            given = read_ties(args.ties, roster) if args.ties else None
        except RosterError as exc:
            raise UsageError(str(exc)) from None
    elif roster is not None and args.ties:
        from trustnet.core.roster import RosterError, read_ties

        try:
            given = read_ties(args.ties, roster)
        except RosterError as exc:
            raise UsageError(str(exc)) from None
    if roster is None and sectors is not None and not sectors.has_shares:
        raise UsageError(f"--sectors: {sectors.source} gives no shares; a network generated "
                         "from n_orgs needs a share for every sector (or give --members)")
    if roster is not None:
        if "n_orgs" in overrides and not args.members:
            raise UsageError("--set n_orgs: the roster sets the network's size; give one or "
                             "the other")
        overrides["n_orgs"] = len(roster)
    try:
        params = scenario_params(scenario, overrides)
    except ValueError as exc:
        raise _usage(exc) from None
    from trustnet.core.events import EventError, check_within, event_from_text, parse_events

    try:
        events = [*(file.events if file else ()),
                  *(event_from_text(text) for text in args.events)]
        check_within(parse_events(events, params, roster.names if roster else None,
                                  roster.join_months() if roster else None), args.steps)
    except EventError as exc:
        raise UsageError(f"--event: {exc}") from None
    out_format = _series_format(args.out) if args.out else None
    if args.plot and os.path.splitext(args.plot)[1].lower() not in (".png", ".pdf", ".svg"):
        raise UsageError(f"--plot {args.plot}: unknown extension; allowed: .png, .pdf, .svg")
    for option, path in (("--out", args.out), ("--plot", args.plot)):
        if path:  # before the run, not after it
            _check_writable(option, path)

    from trustnet.core.metrics import SUMMARY_OUTCOMES
    from trustnet.core.projects import planning_terms
    from trustnet.core.run import run_model

    changed = {k: v for k, v in params.items() if v != DEFAULTS[k]}
    shown = f"{file.path} (from {scenario})" if file else scenario
    print(f"trustnet run: scenario {shown}, seed {args.seed}, {args.steps} months")
    if changed:
        print("  parameters changed from defaults: "
              + ", ".join(f"{k}={v}" for k, v in changed.items()))
    print("  " + planning_terms(params))
    start = time.perf_counter()
    if events:
        print(f"  events: {len(events)}" + (" (" + "; ".join(args.events) + " from the command "
                                            "line)" if args.events else ""))
    if roster is not None:
        print(f"  members: {len(roster)} from {roster.source}"
              + (f"; {len(given.i)} given ordered ties" if given else ""))
        params = {k: v for k, v in params.items() if k != "n_orgs"}
    if sectors is not None:
        print(f"  sectors: {', '.join(sectors.names)} from {sectors.source}")
    result = run_model(params, seed=args.seed, steps=args.steps, events=events or None,
                       members=roster, ties=given, sectors=None if roster else sectors)
    elapsed = time.perf_counter() - start
    series = result.series

    marks = sorted({0, args.steps // 4, args.steps // 2, 3 * args.steps // 4, args.steps})
    cols = [c for c in MIDRUN if c in series.columns]
    rows = [[m, *(_num(float(series.loc[m, c])) for c in cols)] for m in marks
            if m in series.index]
    print("\nduring the run (value after each month shown):")
    print(_table(rows, ["month", *cols]))

    keys = [k for k in KEY_OUTCOMES if k in SUMMARY_OUTCOMES]
    print(f"\nat the end (month {args.steps}):")
    print(_table([[k, _num(result.summary[k])] for k in keys], ["outcome", "value"]))
    print(f"\n{len(SUMMARY_OUTCOMES)} summary outcomes computed in {elapsed:.2f} s")

    if args.out:
        frame = series.reset_index()
        try:
            if out_format == "parquet":
                frame.to_parquet(args.out, index=False)
            else:
                frame.to_csv(args.out, index=False)
        except OSError as exc:
            raise UsageError(f"--out {args.out}: cannot write ({exc.strerror})") from None
        print(f"time series ({len(frame)} rows x {frame.shape[1]} columns) written to {args.out}")
    if args.plot:
        from trustnet.plots import run_figure

        fig = run_figure(series, title=f"{scenario}, seed {args.seed}"
                         + (", " + ", ".join(f"{k}={v}" for k, v in overrides.items())
                            if overrides else ""))
        try:
            fig.savefig(args.plot, dpi=110)
        except OSError as exc:
            raise UsageError(f"--plot {args.plot}: cannot write ({exc.strerror})") from None
        print(f"plot written to {args.plot}")
    return 0


def _check_writable(option: str, path: str) -> None:
    """A file can be written at ``path``: its folder exists and takes files."""
    if os.path.isdir(path):
        raise UsageError(f"{option} {path}: is a folder; expected a file name")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: no folder {folder}; create it first")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{option} {path}: cannot write into {folder} (permission denied)")


def _series_format(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext in (".parquet", ".pq"):
        return "parquet"
    if ext == ".csv":
        return "csv"
    raise UsageError(f"--out {path}: unknown extension '{ext or '(none)'}'; allowed: .parquet, "
                     ".csv")


# --- sweep and sensitivity ----------------------------------------------------------------

def _engine_args(args: argparse.Namespace) -> dict[str, Any]:
    if args.engine == "serial" and (args.workers or args.scheduler):
        given = "--workers" if args.workers else "--scheduler"
        raise UsageError(f"{given}: the serial engine runs in this process alone; drop "
                         f"{given} or choose --engine processes or dask")
    if args.scheduler and args.engine == "processes":
        raise UsageError("--scheduler: runs on a Dask cluster, not in local processes; drop "
                         "--engine processes (or --scheduler)")
    if args.scheduler and args.workers:
        raise UsageError("--workers: a Dask cluster (--scheduler) has its own workers; drop "
                         "--workers")
    engine = "dask" if args.scheduler else args.engine or "processes"
    return {"engine": engine, "workers": args.workers, "scheduler": args.scheduler}


class _Terminated(Exception):
    """SIGTERM (e.g. a batch system's time limit) during a sweep."""


@contextlib.contextmanager
def _stop_cleanly_on_sigterm() -> Any:
    """SIGTERM ends a sweep like Ctrl-C: the finished runs and the manifest are written."""
    import signal

    main_pid = os.getpid()

    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != main_pid:  # a forked worker: die as the signal asks
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (e.g. inside a notebook's worker thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _estimate(spec: Any, workers: int, out: str) -> str:
    """A line on how long the sweep will take and how much disk it needs; refuses a sweep the
    disk cannot hold."""
    import shutil

    from trustnet.experiment.runner import estimate_sweep

    left = spec.n_runs()
    if os.path.isdir(os.path.join(out, "runs")):  # a resume: only what is not written yet
        from trustnet.experiment.store import ParquetStore

        with contextlib.suppress(OSError, ValueError):
            left -= len(ParquetStore(out).done_ids())
    seconds, size = estimate_sweep(spec, workers)
    share = max(0, left) / spec.n_runs()
    seconds, size = seconds * share, size * share
    where = os.path.abspath(out)
    while not os.path.exists(where):
        where = os.path.dirname(where)
    free = shutil.disk_usage(where).free
    if size > free:
        raise UsageError(f"{out}: the results need about {_bytes(size)} and the disk has "
                         f"{_bytes(free)} free; fewer runs or series, or another --out")
    return f"estimated: about {_duration(seconds)} and {_bytes(size)} on disk"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.1f} days"


def _bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def cmd_sweep(args: argparse.Namespace) -> int:
    from trustnet.experiment.engines import default_workers

    spec = _load_spec(args.spec)
    if args.retry_failed and not args.resume:
        raise UsageError("--retry-failed: retries the failed runs of an earlier sweep; add "
                         "--resume")
    out = args.out or os.path.join("results", spec.name)
    opts = _engine_args(args)
    workers = opts["workers"] or (default_workers() if opts["engine"] != "serial" else 1)
    where = opts["scheduler"] or f"{workers} worker{'s' if workers > 1 else ''}"
    estimate = _estimate(spec, workers, out)
    print(f"{spec.name}: {spec.n_arms()} arm{'s' * (spec.n_arms() > 1)} x {spec.replications} "
          f"replication{'s' * (spec.replications > 1)} = {spec.n_runs()} runs of {spec.steps} "
          f"months; engine {opts['engine']} ({where}); results in {out}; {estimate}")
    result = _sweep(spec, out, args, opts, resume=args.resume, chunk_size=args.chunk_size,
                    retry_failed=args.retry_failed)
    return _report(result.manifest, out, spec)


def _sweep(spec: Any, out: str, args: argparse.Namespace, opts: dict[str, Any],
           **kw: Any) -> Any:
    from trustnet.experiment.engines import EngineError
    from trustnet.experiment.runner import run_sweep
    from trustnet.experiment.spec import SpecError
    from trustnet.experiment.store import StoreError

    try:
        with _stop_cleanly_on_sigterm():
            return run_sweep(spec, out, progress=False if args.quiet else None, load=False,
                             **opts, **kw)
    except (SpecError, StoreError, EngineError) as exc:
        raise _usage(exc) from None
    except (KeyboardInterrupt, _Terminated) as exc:
        hint = (f"finished runs are kept in {out}; continue with: "
                f"trustnet {args.command} {args.spec} --out {out} --resume")
        if isinstance(exc, _Terminated):
            raise Interrupted(hint, code=143, what="terminated") from None
        raise Interrupted(hint) from None


def _report(manifest: dict[str, Any], out: str, spec: Any) -> int:
    session = manifest["sessions"][-1]
    done, failed = session["runs_done"], session["runs_failed"]
    rate = f" ({session['runs_per_s']:.1f} runs/s)" if session.get("runs_per_s") else ""
    skipped = manifest["n_runs"] - session["runs_to_do"]
    print(f"done: {done} runs in {session['elapsed_s']:.1f} s{rate}"
          + (f"; {skipped} already written" if skipped else "")
          + (f"; {failed} failed (status and error columns of the runs table)" if failed else ""))
    print(f"  {out}/runs/ (one row per run), "
          + (f"{out}/series/ (time series), " if spec.series else "")
          + f"{out}/manifest.json")
    print(f"  figures: trustnet plot {out}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from trustnet.experiment.sensitivity import INDICES, check, run_sensitivity
    from trustnet.experiment.spec import SpecError
    from trustnet.experiment.store import StoreError

    spec = _load_spec(args.spec)
    try:
        check(spec, args.method)
    except SpecError as exc:
        raise _usage(exc) from None
    out = args.out or os.path.join("results", f"{spec.name}_{args.method}")
    opts = _engine_args(args)
    names = list(spec.sensitivity.ranges)
    listed = ", ".join(names) if len(names) <= 12 else (
        ", ".join(names[:6]) + f", ... (all {len(names)} in the indices)")
    print(f"{spec.name}: {args.method} analysis of {len(names)} parameters ({listed}), "
          f"{spec.replications} replications per point; results in {out}")
    from trustnet.experiment.engines import EngineError

    try:
        with _stop_cleanly_on_sigterm():
            result = run_sensitivity(spec, args.method, out, resume=args.resume,
                                     progress=False if args.quiet else None, **opts)
    except (SpecError, StoreError, EngineError) as exc:
        raise _usage(exc) from None
    except (KeyboardInterrupt, _Terminated) as exc:
        hint = (f"finished runs are kept in {out}; continue with: trustnet sensitivity "
                f"{args.spec} --method {args.method} --out {out} --resume")
        if isinstance(exc, _Terminated):
            raise Interrupted(hint, code=143, what="terminated") from None
        raise Interrupted(hint) from None
    idx = result.indices
    key = INDICES[args.method].main
    ranked = idx.dropna(subset=[key]).sort_values(["outcome", "rank"])
    rows, shown = [], 8
    for outcome, group in ranked.groupby("outcome", sort=False):
        text = ", ".join(f"{p} ({v:.3g})" for p, v in
                         zip(group["parameter"][:shown], group[key][:shown]))
        if len(group) > shown:
            text += f", ... {len(group) - shown} more"
        rows.append([outcome, text])
    if rows:
        print(f"\nparameters by influence ({key}), per outcome:")
        print(_table(rows, ["outcome", "parameters, most influential first"]))
    else:
        print(f"\nno outcome has a {key}: none varied over the {len(result.runs)} runs (too "
              "few months, trajectories or samples for an index)")
    conv = result.convergence
    if conv is not None and "rank_correlation" in conv:
        conv = conv.dropna(subset=["rank_correlation"])
    if conv is not None and len(conv) and "rank_correlation" in conv:
        print(f"\nconvergence, the first {spec.sensitivity.samples // 2} base samples against "
              f"all {spec.sensitivity.samples} (converged: the ranking and the top five no "
              "longer move):")
        print(_table([[r.outcome, f"{r.largest_ST_change:.3f}", f"{r.rank_correlation:.2f}",
                       f"{r.top5_kept} of 5", f"{r.widest_ST_interval:.3f}"]
                      for r in conv.itertuples()],
                     ["outcome", "largest ST change", "rank correlation", "top five kept",
                      "widest ST interval (95%)"]))
    extra = "; convergence_sobol.csv" if result.convergence is not None else ""
    print(f"\nindices: {out}/indices_{args.method}.csv{extra}; figure: "
          f"{out}/sensitivity_{args.method}.png; {len(result.runs)} runs in {out}/runs/")
    return 0


# --- plot -----------------------------------------------------------------------------------

def cmd_plot(args: argparse.Namespace) -> int:
    result = _load_results(args.dir)
    from trustnet.core.parameters import unknown_name_message
    from trustnet.experiment.aggregation import default_outcomes
    from trustnet.experiment.report import plot_columns
    from trustnet.experiment.tables import ok_runs, outcome_column, summary_outcomes
    from trustnet.plots import sweep_figures

    runs, manifest = result.runs, result.manifest
    _warn_if_incomplete(result, args.dir)
    known = summary_outcomes()
    if args.all and args.outcomes:
        raise UsageError("--all: draws every outcome; drop --outcomes or --all")
    if args.outcomes:
        names = [n.strip() for n in args.outcomes.split(",") if n.strip()]
        for n in names:
            if n not in known:
                raise UsageError(f"--outcomes: {unknown_name_message(n, known, kind='outcome')}")
    ok = ok_runs(runs)
    if ok.empty:
        raise UsageError(f"{args.dir}: every run failed; nothing to plot (see the error column)")
    if args.all:
        columns = [c for c in (outcome_column(n) for n in known)
                   if c in default_outcomes(ok) and ok[c].nunique() > 1]
    else:  # the outcomes asked for, else the spec's [outputs] plot, else the main ones
        columns = plot_columns(result, names if args.outcomes else None)
    if not columns:
        raise UsageError(f"{args.dir}: no outcome varies between runs; name outcomes with "
                         "--outcomes")
    dims = [tuple(d) for d in manifest.get("dims", [])]
    figures = sweep_figures(runs, result.series, dims, columns)
    folder = os.path.join(args.dir, "figures")
    os.makedirs(folder, exist_ok=True)
    for stem, fig in figures.items():
        path = os.path.join(folder, f"{stem}.{args.format}")
        fig.savefig(path, dpi=110)
        print(path)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    import re

    from trustnet.experiment.compare import CompareError, compare, markdown

    if args.all and args.outcomes:
        raise UsageError("--all: compares every outcome; drop --outcomes or --all")
    result = _load_results(args.dir)
    _warn_if_incomplete(result, args.dir, args.partial)
    if args.all:
        from trustnet.core.reporters import SUMMARY_OUTCOMES

        outcomes: list[str] | None = list(SUMMARY_OUTCOMES)
    else:
        outcomes = ([n.strip() for n in args.outcomes.split(",") if n.strip()]
                    if args.outcomes else None)
    try:
        table = compare(result, args.baseline, outcomes)
    except CompareError as exc:
        raise _usage(exc) from None
    rows = [[r.arm, r.context or "-", r.outcome, f"{_num(r.baseline_mean)}",
             f"{_num(r.difference)} ({_num(r.ci_low)}, {_num(r.ci_high)})",
             "-" if not math.isfinite(r.relative) else f"{r.relative:+.0%}", r.flag]
            for r in table.itertuples()]
    print(f"each arm against '{args.baseline}' ({', '.join(sorted(set(table['method'])))}):")
    print(_table(rows, ["arm", "at", "outcome", "baseline", "difference (95% CI)", "relative",
                        "flag"]))
    folder = os.path.join(args.dir, "compare")
    os.makedirs(folder, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", args.baseline).strip("_") or "baseline"
    paths = [os.path.join(folder, f"vs_{stem}.{ext}") for ext in ("csv", "md", args.format)]
    table.to_csv(paths[0], index=False)
    with open(paths[1], "w", encoding="utf-8") as fh:
        fh.write(markdown(table, args.baseline))
    from trustnet.plots import comparison_figure

    comparison_figure(table, args.baseline).savefig(paths[2], dpi=110)
    print("\n" + "\n".join(paths))
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    import hashlib
    import importlib.util
    import re

    missing = [m for m in ("ema_workbench", "sklearn") if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(f"scenario discovery needs {', '.join(missing)}, which is not "
                         "installed; run 'bash .ci/bootstrap discover' in the project (or pip "
                         "install 'trustnet[discover]')")
    from trustnet.experiment.discover import DiscoverError, discover

    result = _load_results(args.dir)
    _warn_if_incomplete(result, args.dir, args.partial)
    try:
        found = discover(result, args.where, args.box)
    except DiscoverError as exc:
        raise _usage(exc) from None
    print(found.describe())
    folder = os.path.join(args.dir, "discover")
    os.makedirs(folder, exist_ok=True)
    # readable, and distinct for conditions that differ only in their operators
    digest = hashlib.sha256(args.where.encode()).hexdigest()[:6]
    stem = (re.sub(r"[^A-Za-z0-9_.-]+", "_", args.where).strip("_")[:50] or "where") + \
        f"_{digest}"
    paths = [os.path.join(folder, f"{stem}_trajectory.csv"),
             os.path.join(folder, f"{stem}_box.csv")]
    found.trajectory.to_csv(paths[0], index=False)
    found.limits.to_csv(paths[1], index=False)
    from trustnet.plots import discovery_figures

    for name, fig in discovery_figures(found.trajectory, found.box, found.x, found.y,
                                       found.limits, args.where).items():
        paths.append(os.path.join(folder, f"{stem}_{name}.{args.format}"))
        fig.savefig(paths[-1], dpi=110)
    print("\n" + "\n".join(paths))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from trustnet.experiment.compare import CompareError
    from trustnet.experiment.report import write_report

    result = _load_results(args.dir)
    _warn_if_incomplete(result, args.dir, args.partial)
    outcomes = ([n.strip() for n in args.outcomes.split(",") if n.strip()]
                if args.outcomes else None)
    try:
        paths = write_report(result, os.path.join(args.dir, "report"), baseline=args.baseline,
                             outcomes=outcomes)
    except (CompareError, ValueError) as exc:
        raise _usage(exc) from None
    print("\n".join(str(p) for p in paths))
    return 0


def _load_results(folder: str) -> Any:
    """The tables of a sweep folder, or one line saying why not."""
    from trustnet.experiment.runner import load_results
    from trustnet.experiment.store import StoreError

    if not os.path.isdir(folder):
        raise UsageError(f"{folder}: no such folder (expected the --out folder of "
                         "'trustnet sweep')")
    try:
        return load_results(folder)
    except (StoreError, OSError, ValueError) as exc:
        raise _usage(exc) from None


def _warn_if_incomplete(result: Any, folder: str, partial: bool | None = None) -> None:
    """Say when a sweep is incomplete; with ``partial=False`` (an analysis) refuse it unless
    the user asked for what is there (--partial)."""
    manifest, runs = result.manifest, result.runs
    expected = manifest.get("n_runs")
    if manifest.get("status") != "complete" or (expected and len(runs) < expected):
        what = (f"{folder} holds {len(runs)} of {expected or '?'} runs (sweep "
                f"{manifest.get('status', 'unfinished')})")
        finish = f"finish it with: trustnet sweep SPEC --out {folder} --resume"
        if partial is False:
            raise UsageError(f"{what}; {finish}, or analyse what is there with --partial")
        sys.stderr.write(f"{PROG}: warning: {what}; what follows shows only those; {finish}\n")


# --- tables -------------------------------------------------------------------------------

def cmd_params(args: argparse.Namespace) -> int:
    from trustnet.core.parameters import (
        GROUPS,
        markdown_table,
        parameter_table,
        unknown_name_message,
    )

    if args.group and args.group not in GROUPS:
        raise UsageError(unknown_name_message(args.group, GROUPS, kind="group"))
    rows = [r for r in parameter_table() if not args.group or r["group"] == args.group]
    if args.format == "markdown":
        text = markdown_table()
        if args.group:
            text = "\n".join(line for line in text.splitlines()
                             if not line.startswith("| `") or any(
                                 line.startswith(f"| `{r['name']}`") for r in rows))
        print(text)
        return 0
    if args.format == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return 0
    width = 100
    for group in GROUPS:
        members = [r for r in rows if r["group"] == group]
        if not members:
            continue
        print(f"\n== {group} ==")
        print(_table([[r["name"], _default(r["default"]), r["allowed"],
                       r["plausible"] if r["plausible"][:4] != "not " else "not varied",
                       r["unit"], r["in_a_run"]] for r in members],
                     ["name", "default", "allowed", "plausible", "unit", "in a run"]))
        print()
        for r in members:
            print(textwrap.fill(f"{r['name']}: {r['meaning']}. Source: {r['source']}.",
                                width=width, subsequent_indent="    "))
    return 0


def _default(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def cmd_scenarios(args: argparse.Namespace) -> int:
    from trustnet.core.scenarios import DEFAULT_SCENARIO, SCENARIOS

    if args.new:
        from trustnet.scenario_files import ScenarioFileError, write_template

        if not args.name:
            raise UsageError("scenarios new: give the new scenario's name (trustnet scenarios "
                             "new NAME)")
        try:
            written = write_template(args.name, args.dir)
        except ScenarioFileError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"--dir {args.dir}: cannot write there: {exc.strerror}") from None
        print("wrote " + ", ".join(map(str, written)))
        print(f"edit them, then: trustnet run --scenario {written[0]}")
        return 0

    for s in SCENARIOS.values():
        mark = " (default)" if s.name == DEFAULT_SCENARIO else ""
        print(f"{s.name}{mark}: {s.title}")
        print(textwrap.fill(s.description, width=96, initial_indent="    ",
                            subsequent_indent="    "))
        print(f"    source: {s.source}")
        overrides = ", ".join(f"{k}={_default(v)}" for k, v in s.overrides.items())
        print(f"    overrides: {overrides or '(none: the defaults)'}")
        print(f"    file: {s.path}\n")
    return 0


# --- validate -----------------------------------------------------------------------------

def _pattern_list(text: str) -> list[str]:
    """An argparse type: a comma-separated list of pattern names (p01, 2, p12, ...)."""
    from trustnet.validation.cli import parse_only

    try:
        return parse_only(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_validate(args: argparse.Namespace) -> int:
    from trustnet.validation.cli import validate

    try:
        return validate(args)
    except KeyboardInterrupt:
        raise Interrupted("finished runs are kept in "
                          f"{args.out}; run the same command again to continue") from None
    except (OSError, ValueError) as exc:  # a missing or bad spec, an unwritable folder
        raise _usage(exc) from None


# --- viz ----------------------------------------------------------------------------------

def cmd_viz(args: argparse.Namespace) -> int:
    from trustnet.scenario_files import ScenarioFileError, is_scenario_file, load_scenario_file

    if is_scenario_file(args.scenario):
        try:
            load_scenario_file(args.scenario)  # refused here in one line, not in the page
        except ScenarioFileError as exc:
            raise UsageError(str(exc)) from None
        scenario = os.path.abspath(args.scenario)
    else:
        scenario = _check_scenario(args.scenario)
    try:
        from trustnet.viz.launch import serve
    except ImportError as exc:
        raise UsageError(f"the browser view is not available ({exc}); run 'bash .ci/bootstrap "
                         "viz' in the project (or pip install 'trustnet[viz]')") from None
    result = serve(scenario=scenario, host=args.host, port=args.port)
    return int(result) if isinstance(result, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
