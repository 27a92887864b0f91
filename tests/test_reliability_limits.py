"""Resource bounds, cheap versions (bench/limits.py measures the full ones: a 200 MB notice, 100,000 list items,
10,000 files): a notice over --max-size is refused from its size alone, before a byte is read; a long list and a
folder of many notices go through with every evidence offset in place."""
from __future__ import annotations

import os
import time
from pathlib import Path

from test_reliability_properties import check_record

from ropa.cli import main
from ropa.ingest import from_text
from ropa.pipeline import build


def test_a_200_mb_notice_is_refused_before_reading(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        os.truncate(fh.fileno(), 200 * 2**20)  # sparse: 200 MB by size, nothing on disk
    t0 = time.monotonic()
    assert main(["build", str(big), "-o", str(tmp_path / "o.trig")]) == 2
    assert time.monotonic() - t0 < 5
    err = capsys.readouterr().err
    assert "big.txt: is 200.0 MB, over the 50 MB limit; split it or raise --max-size" in err
    assert not (tmp_path / "o.trig").exists()


def test_a_notice_with_5000_list_items():
    kinds = ["your name", "your email address", "your IP address", "your phone number"]
    items = "\n".join(f"- {kinds[i % 4]} (item {i})" for i in range(5000))
    doc = from_text(f"Privacy Policy\n\nPersonal data we collect\n\n{items}\n", "list.txt")
    assert sum(b.kind == "list_item" for b in doc.blocks) == 5000
    rec = check_record(doc)
    values = {f.value for a in rec.activities for f in a.facts if f.facet == "personal_data"}
    assert {"pd:EmailAddress", "pd:IPAddress"} <= values


def test_a_folder_of_300_notices(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        (folder / f"n{i:03d}.txt").write_text(f"Privacy Policy of Company {i} Ltd\n\nWe collect your email address "
                                              f"for marketing based on your consent. We keep it for {i % 9 + 1} "
                                              "years.\n", encoding="utf-8")
    seen: list[Path] = []
    res = build([folder], tmp_path / "o.nq", progress=seen.append)
    assert len(res.records) == 300 and len(seen) == 300
    assert len([g for g in res.dataset.graphs() if len(g)]) == 300
