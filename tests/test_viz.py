"""ropa viz: networkx views, exports, static pictures, the interactive page and the HTML report."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import matplotlib
import networkx as nx
import pytest
from test_compare import files  # noqa: F401  (the fixture: three small notices and an ontology)

from ropa.analyse.compare import compare
from ropa.cli import main
from ropa.viz import draw, heatmap, interactive, network, report, viz

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def cmp(files):  # noqa: F811
    return compare(files[0], ontology=files[1])


@pytest.fixture(scope="module")
def net(files):  # noqa: F811
    return network.network(files[0], ontology=files[1])


def test_network_has_companies_activities_concepts(net):
    kinds = nx.get_node_attributes(net, "kind")
    assert sorted(n for n, k in kinds.items() if k == "company") == ["company:Acme A/S", "company:Beta Ltd",
                                                                     "company:c.txt"]
    assert sum(k == "activity" for k in kinds.values()) == 4
    assert net.nodes["eu-gdpr:A6-1-a"]["facet"] == "legal_bases"
    assert net.nodes["loc:US"]["facet"] == "transfer_destinations"
    assert net.has_edge("company:Acme A/S", "https://w3id.org/ropa/data/a.txt/activity/Newsletter")
    assert net.nodes["entity:google"]["kind"] == "concept"  # Google in two notices is one node


def test_one_notice(files):  # noqa: F811
    g = network.network(files[0], notice="b", ontology=files[1])
    assert [n for n, d in g.nodes(data=True) if d["kind"] == "company"] == ["company:Beta Ltd"]
    with pytest.raises(Exception, match="no notice"):
        network.network(files[0], notice="zzz", ontology=files[1])


def test_exports_round_trip(net, tmp_path):
    for suffix, reader in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        path = tmp_path / f"g{suffix}"
        network.export(net, path)
        back = reader(path)
        assert back.number_of_nodes() == net.number_of_nodes()
        assert back.number_of_edges() == net.number_of_edges()


def test_aggregate_folds_activities_then_samples(net):
    same, note = network.aggregate(net, max_nodes=10_000)
    assert same is net and note == ""
    folded, note = network.aggregate(net, max_nodes=net.number_of_nodes() - 1)
    assert not any(d["kind"] == "activity" for _, d in folded.nodes(data=True))
    assert folded.edges["company:Acme A/S", "pd:EmailAddress"]["weight"] == 2
    assert "activities folded" in note and "sample" not in note
    concepts = sum(d["kind"] == "concept" for _, d in folded.nodes(data=True))
    small, note = network.aggregate(net, max_nodes=concepts + 1)
    assert "showing a sample of 1 of 3 companies" in note
    assert sum(d["kind"] == "company" for _, d in small.nodes(data=True)) == 1


def test_similarity_graph(cmp):
    g = network.similarity_graph(cmp, k=1, min_similarity=0.0)
    assert set(g) == {"Acme A/S", "Beta Ltd", "c.txt"} and g.number_of_edges() >= 1
    assert all(0 <= d["weight"] <= 1 for _, _, d in g.edges(data=True))


def test_page_is_self_contained_and_carries_the_graph(net):
    page = interactive.page(net, "test <graph>")
    assert "<title>test &lt;graph&gt;</title>" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)  # nothing fetched
    data = json.loads(re.search(r'type="application/json">(.*?)</script>', page, re.S).group(1))
    assert len(data["nodes"]) == net.number_of_nodes() and len(data["edges"]) == net.number_of_edges()
    assert {"company", "activity", "legal_bases"} <= set(data["facets"])


def test_big_page_says_it_aggregated(net):
    page = interactive.page(net, "t", max_nodes=10)
    data = json.loads(re.search(r'type="application/json">(.*?)</script>', page, re.S).group(1))
    assert "activities folded" in data["note"] and len(data["nodes"]) < net.number_of_nodes()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_page_script_runs(net, tmp_path):
    """Run the page's script in node with a stub DOM: no syntax or runtime error while drawing, zooming,
    hovering, clicking and searching."""
    page = tmp_path / "p.html"
    page.write_text(interactive.page(net, "t"), encoding="utf-8")
    stub = tmp_path / "stub.js"
    stub.write_text(STUB, encoding="utf-8")
    out = subprocess.run(["node", str(stub), str(page)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "drawn" in out.stdout


STUB = r"""
const fs=require("fs");const html=fs.readFileSync(process.argv[2],"utf8");
const data=html.match(/<script id="graph" type="application\/json">([\s\S]*?)<\/script>/)[1];
const code=html.match(/<script>\n([\s\S]*?)<\/script>/)[1];
let calls=0;
const ctx=new Proxy({},{get:(t,k)=>k in t?t[k]:(()=>{calls++;}),set:(t,k,v)=>{t[k]=v;return true;}});
function el(id){return {id,textContent:id==="graph"?data:"",style:{},offsetHeight:30,value:"",innerHTML:"",
 appendChild(){},getContext:()=>ctx,getBoundingClientRect:()=>({left:0,top:30}),
 querySelector:()=>({onchange:null}),firstChild:{},lastChild:{}};}
const els={};
global.document={getElementById:id=>els[id]||(els[id]=el(id)),createElement:()=>el("x")};
global.window={innerWidth:1200,innerHeight:800,devicePixelRatio:1};
eval(code);
const cv=els["c"];
cv.onmousemove({clientX:600,clientY:400});cv.onwheel({deltaY:-1,clientX:600,clientY:400,preventDefault(){}});
cv.onmousedown({clientX:600,clientY:400});window.onmouseup({clientX:600,clientY:400,target:cv});
els["q"].oninput({target:{value:"consent"}});window.onkeydown({key:"Escape"});
if(calls<10)throw new Error("nothing drawn");
console.log("drawn",calls);
"""


def test_three_columns_keep_labels_apart(net):
    one = net.subgraph([n for n in net if not str(n).startswith("company:") or n == "company:Acme A/S"]).copy()
    one.remove_nodes_from([n for n, d in list(one.nodes(data=True))
                           if d["kind"] == "activity" and d.get("company") != "Acme A/S"])
    one.remove_nodes_from([n for n in list(one) if one.degree(n) == 0])
    pos, headings = draw.three_columns(one, "activity")
    for x in (0.0, 2.0):
        ys = [y for (px, y) in pos.values() if px == x] + [y for hx, y, _ in headings if hx == x]
        assert len(ys) == len(set(ys)), "two labels on one row"
    fig = draw.draw_three_columns(one, "Acme A/S")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Customers" in texts and "LEGAL BASES" in texts
    matplotlib.pyplot.close(fig)


def test_heatmaps_and_dendrogram_render(cmp, tmp_path):
    fig = heatmap.heatmap(cmp, "legal_bases")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] and "Art.6(1-a) consent" in [
        t.get_text() for t in ax.get_yticklabels()]
    assert draw.save(fig, tmp_path / "h.png").stat().st_size > 5000
    assert draw.save(heatmap.heatmap(cmp, "art13_completeness"), tmp_path / "a.svg").read_text().startswith("<?xml")
    fig = heatmap.heatmap(cmp, "personal_data", max_concepts=2, max_companies=2)
    assert "showing the 2 most used of 3 concepts; a sample of 2 of 3 companies" in fig.axes[0].get_title(loc="left")
    draw.save(fig, tmp_path / "x.png")
    fig = heatmap.dendrogram(cmp)
    assert {t.get_text() for t in fig.axes[0].get_yticklabels()} == {"Acme A/S", "Beta Ltd", "c.txt"}
    draw.save(fig, tmp_path / "d.png")
    draw.save(heatmap.similarity_heatmap(cmp), tmp_path / "s.png")
    draw.save(draw.draw_similarity(network.similarity_graph(cmp), "sim"), tmp_path / "n.png")


def test_report_embeds_pictures(cmp):
    page = report.report(cmp, ["legal_bases"])
    assert page.count("data:image/png;base64,") >= 4  # heatmap, similarity heatmap, dendrogram, network
    assert "Rely on consent" in page and "United States of America" in page


def test_viz_api_and_cli(files, tmp_path, capsys):  # noqa: F811
    res = viz(files[0], tmp_path / "g.html", picture=tmp_path / "g.png", export=tmp_path / "g.gexf",
              ontology=files[1])
    assert all(p.is_file() for p in res.written) and len(res.written) == 3
    graph, onto = map(str, files)
    assert main(["viz", graph, "--ontology", onto, "--notice", "a.txt", "--png", str(tmp_path / "a.png"),
                 "--svg", str(tmp_path / "a.svg")]) == 0
    assert (tmp_path / "a.png").is_file() and (tmp_path / "a.svg").is_file()
    assert main(["viz", graph, "--ontology", onto, "--view", "similarity", "--export",
                 str(tmp_path / "s.graphml"), "-o", str(tmp_path / "s.html")]) == 0
    assert nx.read_graphml(tmp_path / "s.graphml").number_of_nodes() == 3
    assert "nodes" in capsys.readouterr().out
    assert main(["viz", graph, "--view", "similarity", "--notice", "a.txt", "--png", str(tmp_path / "z.png")]) == 2


def test_hierarchy_tree(files, tmp_path):  # noqa: F811
    tree = network.hierarchy(files[0], ontology=files[1])
    assert set(tree.successors("dpv:PersonalData")) == {"pd:Contact", "pd:Identifying"}
    assert tree.nodes["pd:EmailAddress"]["used"] and not tree.nodes["pd:Contact"]["used"]
    assert tree.nodes["pd:Name"]["depth"] == 2
    text = network.tree_text(tree)
    assert text.splitlines()[0] == "Personal Data" or text.splitlines()[0].startswith("dpv:PersonalData")
    assert "    Email Address *" in text
    fig = draw.draw_tree(tree, "personal data")
    assert {"Email Address", "Name", "Contact"} <= {t.get_text() for t in fig.axes[0].texts}
    draw.save(fig, tmp_path / "t.png")
    purposes = network.hierarchy(files[0], root="https://w3id.org/dpv#Purpose", ontology=files[1])
    assert set(purposes.successors("dpv:Marketing")) == {"dpv:DirectMarketing"}
