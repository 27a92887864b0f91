"""Classify the vocabulary's concepts into the checks' concept classes with an OWL reasoner.

The reasoner sees a view of the vocabulary (``queries/gaps/support/concept_view.rq``): concepts as individuals,
``skos:broader`` as the transitive ``gaps:broader``, DPV's typing mapped onto ``gaps:`` classes, plus the axioms
of ``ontology/shapes/gaps_classes.ttl``. It answers, for every concept, which concept classes it is in
(pd:HealthRecord -> gaps:SpecialCategoryData, eu-gdpr:A9-2-a -> gaps:ConsentBasis, ...): the concept hierarchy,
expanded once, for every notice.

Engines (``reasoner=``):

* ``hermit`` (default): owlready2's bundled HermiT, a complete OWL 2 DL reasoner. Needs a Java runtime; when there
  is none the result says so and the checks that need the classification are skipped, the others still run.
* ``owlrl``: the owlrl package's OWL 2 RL forward chainer, pure Python; no Java, but slow on a large vocabulary.
* ``none``: no classification; the checks that need it are skipped.

The result depends only on the vocabulary, not on the notices, so it is cached on disk (``$ROPA_CACHE_DIR`` or
``~/.cache/ropa``) under a digest of the view and the axioms: a run after the first starts no JVM.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ropa import __version__
from ropa.analyse.gaps_checks import GAPS

ENGINES = ("hermit", "owlrl", "none")
Triple = tuple[str, str, str]


@dataclass(slots=True)
class Classification:
    """Concept IRI -> the gaps: concept classes it is in; ``ok`` is False when no engine could run."""

    types: dict[str, set[str]] = field(default_factory=dict)
    engine: str = "none"
    ok: bool = False
    note: str = ""
    cached: bool = False
    seconds: float = 0.0

    def triples(self) -> list[Triple]:
        return [(c, str(RDF.type), k) for c, ks in sorted(self.types.items()) for k in sorted(ks)]


@dataclass(frozen=True, slots=True)
class Axioms:
    """The OWL axioms of gaps_classes.ttl and a digest of the file (the cache key's part for them)."""

    graph: Graph
    digest: str


def load_axioms(path: Path) -> Axioms:
    data = Path(path).read_bytes()
    g = Graph()
    g.parse(data=data, format="turtle")
    return Axioms(g, hashlib.sha256(data).hexdigest())


def classify_concepts(axioms: Axioms, view: Iterable[Triple], engine: str = "hermit",
                      cache_dir: Path | None | bool = None) -> Classification:
    """Run ``engine`` over the axioms + the concept ``view``; use or fill the disk cache."""
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoner {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "none":
        return Classification(note="no reasoner (--reasoner none): checks that need the concept classification "
                                   "were skipped")
    t0 = time.perf_counter()
    tbox = axioms.graph
    facts = _without_punning(tbox, view)
    folder = _cache_folder(cache_dir)
    key = _digest(engine, axioms.digest, facts)
    hit = _read_cache(folder, key) if folder else None
    if hit is not None:
        return Classification(hit, engine, True, cached=True, seconds=time.perf_counter() - t0)
    result = _run(engine, tbox, facts)
    if result.ok and folder:
        _write_cache(folder, key, result.types)
    result.seconds = time.perf_counter() - t0
    return result


def concept_classes(tbox: Graph) -> set[str]:
    """The gaps: classes that concepts can be in: those with a ``(gaps:broader some C) SubClassOf C`` axiom."""
    out = set()
    for r in tbox.subjects(OWL.onProperty, GAPS.broader):
        filler = tbox.value(r, OWL.someValuesFrom)
        if filler is not None and (r, RDFS.subClassOf, filler) in tbox:
            out.add(str(filler))
    return out


def _without_punning(tbox: Graph, view: Iterable[Triple]) -> list[Triple]:
    """Drop view triples that would use one of the axioms' classes as an individual (DPV concepts double as
    classes, e.g. dpv:Process); the reasoner needs each IRI to be either a class or an individual."""
    classes = {str(c) for c in tbox.subjects(RDF.type, OWL.Class)}
    classes |= {str(c) for c in tbox.objects(None, OWL.someValuesFrom)}
    out = []
    for s, p, o in view:
        if s in classes or (p == str(GAPS.broader) and o in classes):
            continue
        out.append((s, p, o))
    return sorted(set(out))


def _run(engine: str, tbox: Graph, facts: list[Triple]) -> Classification:
    if engine == "owlrl":
        return _owlrl(tbox, facts)
    return _hermit(tbox, facts)


def _owl_graph(tbox: Graph, facts: list[Triple]) -> Graph:
    g = Graph()
    g += tbox
    individuals = set()
    for s, p, o in facts:
        g.add((URIRef(s), URIRef(p), URIRef(o)))
        individuals.add(s)
        if p == str(GAPS.broader):
            individuals.add(o)
    for i in individuals:
        g.add((URIRef(i), RDF.type, OWL.NamedIndividual))
    return g


def _types_of(pairs: Iterable[tuple[str, str]], wanted: set[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for ind, cls in pairs:
        if cls in wanted:
            out[ind].add(cls)
    return dict(out)


def _owlrl(tbox: Graph, facts: list[Triple]) -> Classification:
    import owlrl

    g = _owl_graph(tbox, facts)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    pairs = ((str(s), str(o)) for s, o in g.subject_objects(RDF.type) if isinstance(s, URIRef))
    return Classification(_types_of(pairs, concept_classes(tbox)), "owlrl", True)


def java_missing_note() -> str:
    return ("no Java runtime found: owlready2's HermiT reasoner needs Java 11 or newer (install a JRE, e.g. "
            "`apt-get install openjdk-17-jre-headless`, or put `java` on PATH), or run with --reasoner owlrl "
            "(pure Python, slower). The checks that need the concept classification were skipped; the others ran")


def _hermit(tbox: Graph, facts: list[Triple]) -> Classification:
    import owlready2

    if not _java_available(owlready2.JAVA_EXE):
        return Classification(engine="hermit", note=java_missing_note())
    with tempfile.TemporaryDirectory(prefix="ropa-gaps-") as tmp:
        path = Path(tmp) / "view.nt"
        _owl_graph(tbox, facts).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology(path.as_uri()).load(format="ntriples")
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except Exception as err:  # owlready2 raises OwlReadyJavaError, inconsistency errors, subprocess errors
            return Classification(engine="hermit", note=f"HermiT failed ({type(err).__name__}: "
                                  f"{str(err).splitlines()[0][:160] if str(err) else ''}); run with --reasoner owlrl. "
                                  "The checks that need the concept classification were skipped")
        pairs = []
        for cls in concept_classes(tbox):
            c = world[cls]
            if c is not None:
                pairs += [(i.iri, cls) for i in c.instances(world=world)]
        world.close()
    return Classification(_types_of(pairs, concept_classes(tbox)), "hermit", True)


def _java_available(exe: str) -> bool:
    return bool(shutil.which(exe)) or (os.path.isfile(exe) and os.access(exe, os.X_OK))


def _cache_folder(cache_dir: Path | None | bool) -> Path | None:
    if cache_dir is False:
        return None
    if cache_dir is None or cache_dir is True:
        env = os.environ.get("ROPA_CACHE_DIR")
        cache_dir = Path(env) if env else Path.home() / ".cache" / "ropa"
    return Path(cache_dir)


def _digest(engine: str, axioms_digest: str, facts: list[Triple]) -> str:
    h = hashlib.sha256(f"{engine}|{__version__}|{axioms_digest}|".encode())
    for t in facts:
        h.update("\t".join(t).encode())
        h.update(b"\n")
    return h.hexdigest()[:32]


def _read_cache(folder: Path, key: str) -> dict[str, set[str]] | None:
    path = folder / f"gaps-concepts-{key}.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    out: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        c, _, k = line.partition("\t")
        if k:
            out[c].add(k)
    return dict(out)


def _write_cache(folder: Path, key: str, types: dict[str, set[str]]) -> None:
    """Best effort: an unwritable cache only costs the next run the reasoning time."""
    body = "".join(f"{c}\t{k}\n" for c, ks in sorted(types.items()) for k in sorted(ks))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gaps-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, folder / f"gaps-concepts-{key}.tsv")
    except OSError:
        pass
