#!/usr/bin/env python3
"""How well `ropa gaps` decides which GDPR transparency items a policy lacks, on GDPR-Transparency-200 (dev split).

    .venv/bin/python bench/gdprt_gaps.py                                  # build graphs (if needed), score, print
    .venv/bin/python bench/gdprt_gaps.py --graph /tmp/gdprt.trig --rebuild --reasoner hermit --markdown

For each policy and each of the corpus' 21 requirement labels, the gold says present (an annotation with
performed=true carries it) or absent; `ropa gaps` says *missing* when it reports the finding mapped to the label
below (any severity). Scores per label: accuracy of present/missing, and precision / recall / F1 of "missing"
(missing is the positive class: what a DPO is warned about). The policy whose gold is the annotators' tutorial
(non-empty gold_quality_note) is left out, as the corpus README asks.

Conditional items. `ropa gaps` flags legitimate interests (Art. 13(1)(d)) and withdrawal of consent (13(2)(c))
only where the notice relies on 6(1)(f) or on consent; the gold marks them absent in every policy that does not
state them. For those two labels the item counts as present only when the notice relies on the basis *and* no
finding was reported (the notice's reasoner classes say whether it relies on it). Portability and objection
(Art. 20, 21) are flagged only where they apply; where they do not, they count as present.

Data: ../shared/corpora/gdprt200-dev (research use only; not redistributed). Results: bench/RESULTS-gaps.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ropa.analyse.gaps import gaps  # noqa: E402
from ropa.pipeline import build  # noqa: E402

EU = "https://w3id.org/dpv/legal/eu/gdpr#"
# label -> (check id, the finding's subject or None)
MAP: dict[str, tuple[str, str | None]] = {
    "Controller Name": ("art13_1_a_controller_name", None),
    "Controller Contact": ("art13_1_a_controller_contact", None),
    "DPO Contact": ("art13_1_b_dpo_contact", None),
    "Data Categories": ("art14_1_d_data_categories", None),
    "Processing Purpose": ("art13_1_c_purposes", None),
    "Legal Basis for Processing": ("art13_1_c_legal_basis", None),
    "Legitimate Interests for Processing": ("art13_1_d_legitimate_interests", None),
    "Source of Data": ("art14_2_f_sources", None),
    "Data Retention Period": ("art13_2_a_retention", None),
    "Data Recipients": ("art13_1_e_recipients", None),
    "Third-country Transfers": ("art13_1_f_transfers_not_mentioned", None),
    "Mandatory Data Disclosure": ("art13_2_e_provision_requirement", None),
    "Automated Decision-Making": ("art13_2_f_automated_decisions", None),
    "Right to Access": ("art13_2_b_rights", EU + "A15"),
    "Right to Rectification": ("art13_2_b_rights", EU + "A16"),
    "Right to Erasure": ("art13_2_b_rights", EU + "A17"),
    "Right to Restrict": ("art13_2_b_rights", EU + "A18"),
    "Right to Object": ("art13_2_b_rights", EU + "A21"),
    "Right to Portability": ("art13_2_b_rights", EU + "A20"),
    "Right to Withdraw Consent": ("art13_2_c_withdraw_consent", None),
    "Right to Lodge Complaint": ("art13_2_d_complaint", None),
}
RELIES_ON = {"Legitimate Interests for Processing": "gaps:LegitimateInterestProcessing",
             "Right to Withdraw Consent": "gaps:ConsentBasedProcessing"}


def load_gold(corpus: Path) -> dict[str, set[str]]:
    """Policy text file name -> the requirement labels present, without the tutorial policy."""
    out = {}
    for f in sorted((corpus / "gold").glob("*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        if doc.get("gold_quality_note"):
            continue
        out[Path(doc["text_file"]).name] = set(doc["requirements"])
    return out


def decided_missing(report) -> dict[str, set[str]]:
    """Policy file name -> the labels `ropa gaps` decided are missing."""
    flagged = {(f.notice, f.check, f.subject) for f in report.findings}
    flagged |= {(f.notice, f.check, None) for f in report.findings}
    out = {}
    for n in report.notices:
        missing = set()
        for label, (check, subject) in MAP.items():
            if (n.source, check, subject) in flagged:
                missing.add(label)
            elif label in RELIES_ON and RELIES_ON[label] not in n.classes:
                missing.add(label)  # not relied on: the notice states nothing about it
        out[n.source] = missing
    return out


def score(gold: dict[str, set[str]], missing: dict[str, set[str]]) -> list[dict]:
    rows = []
    for label in MAP:
        tp = fp = fn = tn = 0
        for policy, present in gold.items():
            truth_missing = label not in present
            said_missing = label in missing.get(policy, set())
            tp += truth_missing and said_missing
            fp += (not truth_missing) and said_missing
            fn += truth_missing and not said_missing
            tn += (not truth_missing) and not said_missing
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"label": label, "check": MAP[label][0], "gold_missing": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                     "tn": tn, "accuracy": (tp + tn) / max(1, len(gold)), "precision": p, "recall": r, "f1": f1})
    return rows


def table(rows: list[dict], markdown: bool) -> str:
    head = ["requirement", "check", "gold missing", "TP", "FP", "FN", "TN", "accuracy", "P", "R", "F1 missing"]
    lines = []
    fmt = (lambda cells: "| " + " | ".join(cells) + " |") if markdown else (lambda cells: "  ".join(
        c.ljust(w) for c, w in zip(cells, (36, 34, 6, 4, 4, 4, 4, 8, 5, 5, 5), strict=False)))
    lines.append(fmt(head))
    if markdown:
        lines.append("|" + "---|" * len(head))
    for r in rows:
        lines.append(fmt([r["label"], r["check"], str(r["gold_missing"]), str(r["tp"]), str(r["fp"]), str(r["fn"]),
                          str(r["tn"]), f"{r['accuracy']:.2f}", f"{r['precision']:.2f}", f"{r['recall']:.2f}",
                          f"{r['f1']:.2f}"]))
    macro_acc = sum(r["accuracy"] for r in rows) / len(rows)
    macro_f1 = sum(r["f1"] for r in rows) / len(rows)
    lines.append(fmt(["macro average", "", "", "", "", "", "", f"{macro_acc:.2f}", "", "", f"{macro_f1:.2f}"]))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "gdprt200-dev")
    ap.add_argument("--graph", type=Path, default=Path("/tmp/ropa-bench/gdprt-dev.trig"))
    ap.add_argument("--rebuild", action="store_true", help="rebuild the graph even if it exists")
    ap.add_argument("--reasoner", default="hermit", choices=("hermit", "owlrl", "none"))
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--json", type=Path, help="also write the scores as JSON here")
    args = ap.parse_args()
    if not (args.corpus / "gold").is_dir():
        sys.exit(f"{args.corpus}: no gold/ folder; pass --corpus ../shared/corpora/gdprt200-dev")
    if args.rebuild or not args.graph.is_file():
        t0 = time.perf_counter()
        build([args.corpus / "text"], args.graph)
        print(f"built {args.graph} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    t0 = time.perf_counter()
    report = gaps(args.graph, reasoner=args.reasoner)
    print(f"ropa gaps: {len(report.findings)} findings on {len(report.notices)} notices in "
          f"{time.perf_counter() - t0:.2f} s", file=sys.stderr)
    gold = load_gold(args.corpus)
    rows = score(gold, decided_missing(report))
    print(f"{len(gold)} policies scored (tutorial policy left out)")
    print(table(rows, args.markdown))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
