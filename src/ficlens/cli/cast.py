"""`--cast FILE`: the characters a user already knows, shared by `analyze` and `check`."""

from __future__ import annotations

import json

import click

HELP = 'Known characters, as JSON: [{"name": ..., "aliases": [...], "gender": "female"}] (aliases and gender optional).'


def _load(ctx, param, path: str | None) -> list[dict] | None:
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            cast = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.BadParameter(f"{path}: not a readable JSON file ({exc})", param_hint="--cast")
    if not isinstance(cast, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in cast):
        raise click.BadParameter(f'{path}: expected a list of {{"name": ..., "aliases": [...]}}', param_hint="--cast")
    return cast


cast_option = click.option("--cast", type=click.Path(exists=True, dir_okay=False), callback=_load, help=HELP)
