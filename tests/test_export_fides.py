"""Fides: the manifests of the samples load and validate with fideslang itself, every key is in the fideslang
default taxonomy, and the mapping table's list of unmapped concepts is exact."""
from __future__ import annotations

import re

import pytest
import yaml

fideslang = pytest.importorskip("fideslang")
from fideslang.default_taxonomy import DEFAULT_TAXONOMY  # noqa: E402
from fideslang.models import Taxonomy  # noqa: E402

from ropa import resources  # noqa: E402
from ropa.export.fides import FACETS, fides_key_for, manifests, mapping, unmapped  # noqa: E402
from ropa.graph.namespaces import iri  # noqa: E402

KEYS = {"data_categories": {c.fides_key for c in DEFAULT_TAXONOMY.data_category},
        "data_uses": {c.fides_key for c in DEFAULT_TAXONOMY.data_use},
        "data_subjects": {c.fides_key for c in DEFAULT_TAXONOMY.data_subject}}
LEXICONS = {"data_categories": "personal_data", "data_uses": "purposes", "data_subjects": "data_subjects"}


@pytest.fixture(scope="module")
def systems(sample_build):
    return {name: yaml.safe_load(data) for name, data in manifests(sample_build.dataset).items()}


def test_one_manifest_per_controller_validated_by_fideslang(systems):
    assert len(systems) == 5
    for doc in systems.values():
        tax = Taxonomy.model_validate(doc)
        assert len(tax.system) == 1 and tax.system[0].privacy_declarations


def test_every_key_is_in_the_default_taxonomy(systems):
    for doc in systems.values():
        for d in doc["system"][0]["privacy_declarations"]:
            assert d["data_use"] in KEYS["data_uses"]
            assert set(d["data_categories"]) <= KEYS["data_categories"]
            assert set(d["data_subjects"]) <= KEYS["data_subjects"]


def test_mapping_table_targets_exist():
    for section, keys in KEYS.items():
        for concept, key in mapping()[section].items():
            assert key in keys, f"{concept} -> {key} is not a fideslang {section} key"
            iri(concept)  # a known prefix


def lexicon_concepts(name: str):
    text = (resources.lexicon_dir() / f"{name}.yaml").read_text(encoding="utf-8")
    return [iri(m) for m in re.findall(r"concept:\s*([\w-]+:[\w-]+)", text)]


@pytest.mark.parametrize("section", list(FACETS))
def test_unmapped_list_is_exact(section):
    listed = sorted(mapping().get("unmapped", {}).get(section, []))
    assert unmapped(lexicon_concepts(LEXICONS[section]), section) == listed


def test_a_concept_inherits_its_broader_mapping():
    assert fides_key_for(iri("pd:EmailAddress"), "data_categories") == "user.contact.email"
    assert fides_key_for(iri("pd:EmailAddressWork"), "data_categories") == "user.contact.email"


def test_unmapped_concepts_are_named_in_meta(systems):
    metas = [doc["system"][0]["meta"] for doc in systems.values()]
    assert all("ropa_unmapped" in m for m in metas)
    assert any(m["ropa_unmapped"] for m in metas)
