"""`ficlens eval`: measure accuracy on annotated data (PDNC, LitBank, or your own gold JSON)."""

from __future__ import annotations

import importlib
import json
import sys

import click

from ..errors import FiclensError


@click.command("eval")
@click.argument("dataset", type=click.Choice(["pdnc", "litbank", "gold"]))
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False), help="The dataset folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--folds", default=11, show_default=True, help="PDNC: cross-validation folds over the novels.")
@click.option("--novels", help="PDNC: only these novels (folder names, comma-separated).")
@click.pass_context
def eval_command(ctx, dataset, data_dir, as_json, folds, novels):
    """Measure accuracy on annotated data.

    \b
    pdnc     speaker attribution by leave-novels-out cross-validation (each novel is scored by a
             model trained on the other folds), with the gold cast and without, on gold quote spans
             and end to end; quote detection precision/recall; narrative person.
    litbank  quote detection and speaker attribution on LitBank (shipped model, no training).
    gold     your own annotations in the `analyze --json` shape (see the README, "Your own gold annotations").

    \b
    Examples:
      ficlens eval pdnc --data ../shared/data/pdnc
      ficlens eval pdnc --data ../shared/data/pdnc --novels Emma,Persuasion --folds 2 --json
      ficlens eval litbank --data ../shared/data/litbank
    """
    only = [n.strip() for n in novels.split(",") if n.strip()] if novels else None
    try:
        if dataset == "pdnc":
            report = _pdnc(data_dir, folds=folds, only=only)
        elif dataset == "litbank":
            report = _litbank(data_dir)
        else:
            from ..eval import gold

            report = gold.evaluate(data_dir)
    except FiclensError as exc:
        if (ctx.find_root().obj or {}).get("debug"):
            raise
        click.echo(f"ficlens: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    else:
        click.echo(_table(report))


def _pdnc(data_dir: str, *, folds: int, only: list[str] | None) -> dict:
    from ..eval import attribution, pdnc

    try:
        import scipy  # noqa: F401
    except ImportError:
        raise FiclensError("ficlens eval pdnc trains the speaker model per fold and needs SciPy (pip install scipy)")
    names = pdnc.novels(data_dir, only=only)
    novels = [pdnc.read(data_dir, n) for n in names]
    result = attribution.cross_validate(novels, folds=folds)
    kwargs = {"novels": only} if only else {}
    return {
        "dataset": "pdnc",
        "attribution": result,
        "detection": _optional("ficlens.eval.quotes", "evaluate_detection", data_dir, **kwargs),
        "person": _optional("ficlens.eval.person", "evaluate", data_dir, **kwargs),
    }


def _litbank(data_dir: str) -> dict:
    from ..eval import attribution, litbank

    return {
        "dataset": "litbank",
        "detection": litbank.evaluate(data_dir),
        "attribution": attribution.evaluate_litbank(litbank.books(data_dir)),
    }


def _optional(module: str, function: str, *args, **kwargs):
    """Another stage's scorer, or None when this installation does not have it."""
    try:
        fn = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        return None
    return fn(*args, **kwargs)


_SETTING_TITLES = {
    "cast_gold_spans": "cast given, gold quote spans (standard)",
    "nocast_gold_spans": "no cast, gold quote spans",
    "nocast_end_to_end": "no cast, end to end (ficlens finds the quotes)",
}


def _table(report: dict) -> str:
    lines = []
    if report.get("dataset") == "pdnc":
        att = report["attribution"]
        lines.append(f"PDNC speaker attribution: {att['novels']} novels, {att['folds']}-fold leave-novels-out cross-validation")
        lines.append(f"{'setting':48} {'overall':>8} {'explicit':>9} {'anaphoric':>10} {'implicit':>9} {'quotes':>7}")
        for key, s in att["settings"].items():
            cells = [_pct(s[k]["accuracy"]) for k in ("overall", "explicit", "anaphoric", "implicit")]
            lines.append(f"{_SETTING_TITLES.get(key, key):48} {cells[0]:>8} {cells[1]:>9} {cells[2]:>10} {cells[3]:>9} {s['overall']['total']:>7}")
        lines.append("")
        lines.append(_detection_line("PDNC quote detection", report.get("detection")))
        person = report.get("person")
        if person is None:
            lines.append("narrative person: (not available)")
        else:
            o = person["overall"]
            lines.append(f"narrative person: {o['correct']}/{o['total']} novels right")
    elif report.get("dataset") == "litbank":
        lines.append(_detection_line("LitBank quote detection", report.get("detection")))
        att = report["attribution"]
        lines.append(
            f"LitBank speaker attribution on gold quote spans ({att['cast']['total']} quotes): "
            f"cast given {_pct(att['cast']['accuracy'])}, no cast {_pct(att['no_cast']['accuracy'])}"
        )
    else:
        o = report["overall"]
        lines.append(f"gold speaker attribution: cast given {_pct(o['cast']['accuracy'])}, no cast {_pct(o['no_cast']['accuracy'])} ({o['cast']['total']} quotes)")
        d = o["detection"]
        lines.append(f"gold quote detection: precision {_pct(d['precision'])}, recall {_pct(d['recall'])}")
    return "\n".join(lines)


def _detection_line(title: str, det: dict | None) -> str:
    if det is None:
        return f"{title}: (not available)"
    o = det["overall"]
    parts = []
    for how in ("exact", "overlap"):
        if how in o:
            parts.append(f"{how}: precision {_pct(o[how]['precision'])}, recall {_pct(o[how]['recall'])}")
    return f"{title} ({o.get('gold', '?')} gold spans): " + "; ".join(parts)


def _pct(x) -> str:
    return "-" if x is None else f"{x:.3f}"
