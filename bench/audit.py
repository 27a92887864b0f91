#!/usr/bin/env python3
"""Print a random sample of a facet's policy-level false positives with the evidence behind each, for a human audit.

    python bench/corpora.py --shared ../shared --corpus goppc150            # writes bench/out/goppc150.json
    python bench/audit.py --shared ../shared --corpus goppc150 --facet lawful_basis --n 30 --seed 10

A policy-level false positive is a label the graph gives a policy and the gold does not. For each sampled (policy,
label) pair this prints up to three evidence quotes of the facts that produce the label, so a reader can judge
whether the notice does state it (an annotation gap) or the extractor misread it (an extraction error). The
judgements and their counts go to bench/RESULTS.md; the quotes are research-only corpus text and stay out of the
repository.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpora import CORPORA  # noqa: E402  (bench/corpora.py: corpus name -> folder under shared/corpora)

from ropa import ingest  # noqa: E402
from ropa.extract import get  # noqa: E402

# the fact values behind each label (the label's last dotted part), as ../shared/eval/mapping.yaml maps them
VALUES = {
    "CONSENT": r"A6-1-a|A9-2-a|dpv:Consent\b", "CONTRACT": r"A6-1-b|dpv:Contract\b", "LEGAL_OBLIGATION": r"A6-1-c|LegalObligation",
    "VITAL_INTEREST": r"A6-1-d|A9-2-c|VitalInterest", "PUBLIC_FUNCTION": r"A6-1-e|A9-2-[gij]|PublicInterest|OfficialAuth",
    "LEGITIMATE_INTEREST": r"A6-1-f|A9-2-d|LegitimateInterest", "SAFEGUARDS": r"A46|DataTransferTool|PrivacyShield",
    "ADEQUACY_DECISION": r"A45", "SPECIFIC_DEROGATION": r"A49",
}


def false_positives(scores: dict, facet: str) -> list[tuple[str, str]]:
    pairs = []
    for pid, policy in sorted(scores["per_policy"].items()):
        got = policy["facets"].get(facet)
        if got:
            pairs += [(pid, label) for label in sorted(set(got["pred"]) - set(got["gold"]))]
    return pairs


def evidence(record, facet: str, label: str) -> list[tuple[str, str]]:
    key = label.rsplit(".", 1)[-1]
    pattern = re.compile(VALUES.get(key, "."))
    if facet == "transfer_outside_europe":
        facts = [f for a in record.activities for t in a.transfers
                 for f in (t.safeguards if key in VALUES else t.destinations)]
    else:
        facts = [f for a in record.activities for f in a.facts if f.facet == "legal_bases"]
    seen: dict[int, tuple[str, str]] = {}
    for f in facts:
        if pattern.search(f.value) and f.evidence.start not in seen:
            seen[f.evidence.start] = (f.value, " ".join(f.evidence.quote.split()))
    return list(seen.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, required=True, help="the shared folder (corpora/)")
    ap.add_argument("--corpus", choices=["goppc150", "gdprt200"], default="goppc150")  # the corpora with label facets
    ap.add_argument("--facet", default="lawful_basis", help="a policy-level facet of the scores, e.g. lawful_basis")
    ap.add_argument("--scores", type=Path, help="score.py --json output (default bench/out/<corpus>.json)")
    ap.add_argument("--n", type=int, default=30, help="sample size")
    ap.add_argument("--seed", type=int, default=10)
    args = ap.parse_args()
    scores = json.loads((args.scores or ROOT / "bench" / "out" / f"{args.corpus}.json").read_text())
    pairs = false_positives(scores, args.facet)
    sample = sorted(random.Random(args.seed).sample(pairs, min(args.n, len(pairs))))
    print(f"{len(pairs)} false-positive (policy, label) pairs in {args.facet}; {len(sample)} sampled (seed {args.seed})")
    texts = args.shared / "corpora" / CORPORA[args.corpus] / "text"
    extractor = get()
    for pid, label in sample:
        print(f"\n== {pid}  {label}")
        for value, quote in evidence(extractor.extract(ingest.read(texts / f"{pid}.txt")), args.facet, label)[:3]:
            print(f"   {value}: {quote[:300]}")


if __name__ == "__main__":
    main()
