"""Train the speaker-attribution model shipped as src/ficlens/data/speakers.json.

A conditional logit over (quote, candidate character) features (ficlens.analyze.speakers.FEATURES)
and their pairs, trained on every PDNC novel with the gold cast and gold quote spans. Held-out figures come from
`ficlens eval pdnc`, which retrains the same way per fold and never scores a novel it trained on.

    python scripts/train_speakers.py --data ../shared/data/pdnc
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ficlens.eval import attribution, pdnc

OUT = Path(__file__).resolve().parent.parent / "src" / "ficlens" / "data" / "speakers.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the PDNC folder (../shared/data/pdnc)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    names = pdnc.novels(args.data)
    weights = attribution.train([pdnc.read(args.data, n) for n in names])
    model = {
        "version": "pdnc-clogit-pairs-1",
        "trained_on": f"PDNC, {len(names)} novels, gold cast and quote spans",
        "weights": weights,
    }
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights from {len(names)} novels")


if __name__ == "__main__":
    main()
