"""The HTML gaps report: one self-contained page (no scripts, no external files), a section per notice, findings
grouped by severity, each with the article's words, its evidence quoted and linked to its place in the notice.

Every string that comes from a notice or a graph is escaped (``html.escape``): a notice that contains ``<script>``
shows it as text. Where the report carries the notice's text (``texts=`` in :func:`ropa.analyse.gaps.gaps`), the
text is printed with the evidence marked and each quote links to its mark; otherwise the evidence passages are
listed in text order and the quotes link there.
"""
from __future__ import annotations

from html import escape

from ropa import __version__
from ropa.analyse.gaps_formats import summary_line
from ropa.analyse.gaps_report import Evidence, Finding, NoticeInfo, Report, Severity

_HEADINGS = {Severity.VIOLATION: "Violations", Severity.WARNING: "Warnings", Severity.INFO: "For information"}

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:24px} h1{font-size:26px;margin:0 0 4px} h2{font-size:21px;margin:0}
h3{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
h4{font-size:15px;margin:0 0 6px}
.meta{color:#566074;font-size:13px}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:6px 10px;margin:6px 0}
nav table,table.cat{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
nav td,nav th,table.cat td,table.cat th{border-bottom:1px solid #e3e6eb;padding:4px 8px;text-align:left}
section.notice{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:18px 22px;margin:22px 0}
article{border-left:4px solid #999;padding:8px 12px;margin:10px 0;background:#fbfbfc}
article.violation{border-color:#c62828} article.warning{border-color:#e69500} article.info{border-color:#3a6fb0}
.badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;padding:1px 6px;border-radius:3px;
color:#fff;margin-right:6px;vertical-align:1px} .badge.violation{background:#c62828} .badge.warning{background:#b57200}
.badge.info{background:#3a6fb0} .count{font-weight:600}
blockquote.law{margin:6px 0;padding:4px 10px;border-left:3px solid #c8cdd6;color:#3b4456;font-style:italic}
ul.evidence{margin:6px 0;padding-left:18px} ul.evidence q{background:#fff3c4}
.fix{margin:6px 0} .fix strong{color:#1b5e20} details{margin-top:4px;color:#566074;font-size:13px}
.text{white-space:pre-wrap;font:13px/1.55 ui-monospace,Menlo,Consolas,monospace;background:#fafafa;
border:1px solid #e3e6eb;padding:12px;max-height:32em;overflow:auto}
mark{background:#ffe58a} :target{outline:3px solid #f0b400}
.ok{color:#1b5e20}
"""


def render_html(report: Report) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f'<meta name="generator" content="ropa gaps {escape(__version__)}">',
             "<title>GDPR transparency gaps — ropa</title>", f"<style>{CSS}</style>", "</head>", "<body>",
             _header(report), "<main>", _toc(report)]
    parts += [_notice(report, i, n) for i, n in enumerate(report.notices, 1)]
    parts += ["</main>", _catalogue(report), "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _header(report: Report) -> str:
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in report.notes)
    skipped = "".join(f'<p class="note">Skipped {escape(c)}: {escape(w)}</p>'
                      for c, w in sorted(report.skipped.items()))
    return (f"<header><h1>GDPR transparency gaps</h1><p class=\"meta\">{escape(summary_line(report))}</p>"
            f"<p class=\"meta\">Checked against GDPR Art. 13, 14 and 30 by <code>ropa gaps</code>. A violation is a "
            f"required item missing or defective; a warning needs a person's judgement; information items are holes "
            f"in the record of processing or hints.</p>{notes}{skipped}</header>")


def _toc(report: Report) -> str:
    rows = []
    for i, n in enumerate(report.notices, 1):
        c = _counts(report.for_notice(n.source))
        rows.append(f'<tr><td><a href="#n{i}">{escape(n.source)}</a></td><td>{escape(n.controller or "(not named)")}'
                    f'</td><td>{escape(n.modified or "undated")}</td>'
                    + "".join(f'<td class="count">{c[s]}</td>' for s in Severity) + "</tr>")
    head = "".join(f"<th>{_HEADINGS[s]}</th>" for s in Severity)
    return (f"<nav><h3>Notices</h3><table><thead><tr><th>Notice</th><th>Controller</th><th>Updated</th>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></nav>")


def _counts(findings: list[Finding]) -> dict[Severity, int]:
    return {s: sum(1 for f in findings if f.severity is s) for s in Severity}


def _notice(report: Report, i: int, n: NoticeInfo) -> str:
    findings = report.for_notice(n.source)
    out = [f'<section class="notice" id="n{i}"><h2>{escape(n.source)}</h2>',
           f'<p class="meta">Controller: {escape(n.controller or "(not named)")} · Last updated: '
           f'{escape(n.modified or "(undated)")} · {len(findings)} findings</p>']
    if n.classes:
        out.append(f'<p class="meta">The reasoner put its activities in: {escape(", ".join(n.classes))}</p>')
    if not findings:
        out.append('<p class="ok">No gaps found.</p>')
    for sev in Severity:
        group = [f for f in findings if f.severity is sev]
        if group:
            out.append(f"<h3>{_HEADINGS[sev]} ({len(group)})</h3>")
            out += [_finding(report, i, k, f) for k, f in enumerate(group, 1)]
    out.append(_text_block(i, n, findings))
    out.append("</section>")
    return "\n".join(out)


def _finding(report: Report, i: int, k: int, f: Finding) -> str:
    check = report.check(f.check)
    sev = f.severity.value
    parts = [f'<article class="finding {sev}" id="n{i}-{sev}-{k}">',
             f'<h4><span class="badge {sev}">{sev}</span>{escape(f.article)} — {escape(f.message)}</h4>']
    if f.activity_title:
        parts.append(f'<p class="meta">Processing activity: {escape(f.activity_title)}</p>')
    if check is not None and check.law:
        parts.append(f'<blockquote class="law">{escape(check.article)}: {escape(check.law)}</blockquote>')
    parts.append(_evidence_list(i, f.evidence))
    parts.append(f'<p class="fix"><strong>Fix:</strong> {escape(f.fix)}</p>')
    how = escape(check.how) if check is not None and check.how else ""
    reasoning = f"<p>Reasoner: the activity is in {escape(', '.join(f.classes))}.</p>" if f.classes else ""
    src = f"<p>Check <code>{escape(f.check)}</code> ({escape(check.path)})</p>" if check is not None else ""
    parts.append(f"<details><summary>How this was decided</summary><p>{how}</p>{reasoning}{src}</details>")
    parts.append("</article>")
    return "\n".join(parts)


def _anchor(i: int, e: Evidence) -> str:
    return f"n{i}-at-{e.start}-{e.end}"


def _evidence_list(i: int, evidence: tuple[Evidence, ...]) -> str:
    if not evidence:
        return '<p class="meta">Evidence: nothing in the notice states this item.</p>'
    items = []
    for e in evidence:
        where = (f'<a href="#{_anchor(i, e)}">chars {e.start}–{e.end}</a>: ' if e.start is not None else "")
        about = f' <span class="meta">[{escape(e.about)}]</span>' if e.about else ""
        items.append(f"<li>{where}<q>{escape(e.quote)}</q>{about}</li>")
    return f'<ul class="evidence">{"".join(items)}</ul>'


def _spans(findings: list[Finding]) -> list[Evidence]:
    seen: dict[tuple[int, int], Evidence] = {}
    for f in findings:
        for e in f.evidence:
            if e.start is not None and e.end is not None and e.end >= e.start:
                seen.setdefault((e.start, e.end), e)
    return [seen[k] for k in sorted(seen)]


def _text_block(i: int, n: NoticeInfo, findings: list[Finding]) -> str:
    spans = _spans(findings)
    if n.text is not None:
        return f'<h3>Notice text, evidence marked</h3><div class="text">{_marked(i, n.text, spans)}</div>'
    if not spans:
        return ""
    items = "".join(f'<li id="{_anchor(i, e)}"><span class="meta">chars {e.start}–{e.end}</span> '
                    f"{escape(e.quote)}</li>" for e in spans)
    return (f'<h3>Evidence in text order</h3><p class="meta">Pass the notice files with --texts to see the '
            f'whole notice here.</p><ol class="evidence">{items}</ol>')


def _marked(i: int, text: str, spans: list[Evidence]) -> str:
    """The text, escaped, with every evidence span in a <mark> and an anchor at each span's start."""
    cuts = sorted({0, len(text)} | {min(max(p, 0), len(text)) for e in spans for p in (e.start, e.end)})
    starts: dict[int, list[Evidence]] = {}
    for e in spans:
        starts.setdefault(min(e.start, len(text)), []).append(e)
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        out += [f'<span id="{_anchor(i, e)}"></span>' for e in starts.get(a, [])]
        piece = escape(text[a:b])
        covered = any(e.start <= a and b <= e.end for e in spans)
        out.append(f"<mark>{piece}</mark>" if covered and piece else piece)
    return "".join(out)


def _catalogue(report: Report) -> str:
    rows = "".join(f"<tr><td><code>{escape(c.id)}</code></td><td>{escape(c.article)}</td><td>"
                   f'<span class="badge {c.severity.value}">{c.severity.value}</span></td><td>{escape(c.title)}</td>'
                   f"<td>{escape(c.kind)}</td></tr>" for c in report.checks)
    return (f"<footer><h3>Checks run</h3><table class=\"cat\"><thead><tr><th>Check</th><th>Article</th>"
            f"<th>Severity</th><th>What it finds</th><th>Kind</th></tr></thead><tbody>{rows}</tbody></table>"
            f'<p class="meta">ropa {escape(__version__)}</p></footer>')
