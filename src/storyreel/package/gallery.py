"""The review gallery: one page of every finished video, grouped by story.

Each video plays with its cover as poster and its subtitles (zh, en, zh-en WebVTT) as
selectable tracks; beside it are the per-platform texts with their lengths against the
platform's limits, the render's warnings and its review state. Served by ``storyreel
review`` the page has Approve / Needs changes buttons; written as ``output/index.html`` it
is the same page without them. Everything is inline: the page loads nothing from
outside the output folder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from itertools import groupby
from pathlib import Path
from typing import Any

from storyreel.package.catalog import Render, approval
from storyreel.package.platforms import Platforms
from storyreel.package.posts import Post, posts_for, texts_from_metadata
from storyreel.package.publish import render_texts

TRACKS = (("zh", "中文"), ("en", "English"), ("zh-en", "中文 + English"))
BADGES = {"approved": "Approved", "changes": "Needs changes", "pending": "Awaiting review",
          "stale": "Re-rendered: review again"}

CSS = """
@font-face{font-family:"Storyreel CJK";font-weight:400;font-display:block;
src:local("Noto Sans CJK SC"),url("_fonts/NotoSansCJKsc-Regular.otf") format("opentype")}
@font-face{font-family:"Storyreel CJK";font-weight:700;font-display:block;
src:local("Noto Sans CJK SC Bold"),url("_fonts/NotoSansCJKsc-Bold.otf") format("opentype")}
:root{--ink:#1d2430;--muted:#5d6778;--line:#e3e7ee;--bg:#f5f7fa;--card:#fff;
--accent:#1f6feb;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 "Storyreel CJK",
-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC",sans-serif;
color:var(--ink);background:var(--bg)}
header{position:sticky;top:0;z-index:2;background:#111827;color:#fff;padding:14px 28px;
display:flex;align-items:baseline;gap:24px;flex-wrap:wrap}
header h1{margin:0;font-size:18px;font-weight:600;letter-spacing:.02em}
header .counts{color:#c9d1d9;font-size:13px}header .counts b{color:#fff}
main{max-width:1480px;margin:0 auto;padding:24px 28px 60px}
section.story{margin:0 0 36px}section.story>h2{margin:0 0 2px;font-size:20px}
section.story>.sub{color:var(--muted);margin:0 0 14px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:18px;
align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;
overflow:hidden;display:flex;flex-direction:column;box-shadow:0 1px 2px rgba(0,0,0,.04)}
.player{background:#0b0f17;display:flex;justify-content:center}
.player video{display:block;max-width:100%;max-height:340px;background:#000}
.body{padding:12px 16px 16px;display:flex;flex-direction:column;gap:10px}
.head{display:flex;justify-content:space-between;align-items:center;gap:8px}
.head .what{font-weight:600}.head .facts{color:var(--muted);font-size:12px}
.badge{font-size:12px;font-weight:600;padding:2px 10px;border-radius:999px;white-space:nowrap}
.badge.approved{background:#dafbe1;color:var(--ok)}.badge.changes{background:#ffebe9;
color:var(--bad)}.badge.pending{background:#eef1f5;color:var(--muted)}
.badge.stale{background:#fff8c5;color:var(--warn)}
.decision{font-size:12px;color:var(--muted)}
details{border-top:1px solid var(--line);padding-top:8px}summary{cursor:pointer;
font-weight:600;font-size:13px}
table{width:100%;border-collapse:collapse;font-size:12px;margin-top:6px}
td,th{text-align:left;vertical-align:top;padding:5px 6px;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-weight:600}td.n{white-space:nowrap;font-variant-numeric:tabular-nums}
td .t{white-space:pre-wrap}td .t.title{font-weight:600}
td .tags{color:var(--muted)}.over{color:var(--bad);font-weight:600}.fit{color:var(--ok)}
ul.warn{margin:6px 0 0;padding-left:18px;color:var(--warn);font-size:12px}
.review{display:grid;grid-template-columns:1fr 2fr;gap:8px;border-top:1px solid var(--line);
padding-top:10px}.review input,.review textarea{font:inherit;padding:6px 8px;border:1px solid
var(--line);border-radius:6px;width:100%}.review textarea{grid-column:1/-1;min-height:38px}
.review .buttons{grid-column:1/-1;display:flex;gap:8px}
button{font:inherit;font-weight:600;border-radius:6px;padding:7px 14px;cursor:pointer;
border:1px solid transparent}button.approve{background:var(--ok);color:#fff}
button.changes{background:#fff;color:var(--bad);border-color:#f2b8b5}
.status{font-size:12px;color:var(--muted);align-self:center}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 30px}
"""

PRELOAD = "".join(f'<link rel="preload" href="_fonts/{name}" as="font" type="font/otf" '
                  'crossorigin>' for name in ("NotoSansCJKsc-Regular.otf",
                                              "NotoSansCJKsc-Bold.otf"))

SCRIPT = """
const who=document.querySelectorAll('input[name=who]');
const saved=localStorage.getItem('storyreel-reviewer')||'';
who.forEach(i=>{i.value=saved;i.addEventListener('change',()=>{
localStorage.setItem('storyreel-reviewer',i.value);who.forEach(j=>j.value=i.value)})});
document.querySelectorAll('form.review').forEach(form=>{
form.addEventListener('submit',e=>e.preventDefault());
form.querySelectorAll('button').forEach(b=>b.addEventListener('click',async()=>{
const card=form.closest('.card'),out=form.querySelector('.status');
const body={key:card.dataset.key,status:b.dataset.action,
who:form.elements.who.value,comment:form.elements.comment.value};
out.textContent='saving…';
const r=await fetch('api/review',{method:'POST',headers:{'Content-Type':'application/json'},
body:JSON.stringify(body)});const data=await r.json();
if(!r.ok){out.textContent=data.error;return}
const badge=card.querySelector('.badge');badge.className='badge '+data.approval;
badge.textContent=data.label;out.textContent='saved '+data.decision.when;
card.dataset.approval=data.approval}))});
"""


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def _rel(path: Path, out_root: Path) -> str:
    return escape(path.relative_to(out_root).as_posix(), quote=True)


def _tracks(render: Render, out_root: Path) -> str:
    out = []
    for lang, label in TRACKS:
        path = render.folder / f"{render.story_id}.{lang}.vtt"
        if path.is_file():
            default = " default" if lang == render.lang else ""
            out.append(f'<track kind="subtitles" srclang="{lang}" label="{label}" '
                       f'src="{_rel(path, out_root)}"{default}>')
    return "".join(out)


def _length(n: int, limit: int) -> str:
    cls = "over" if n > limit else "fit"
    return f'<span class="{cls}">{n}</span>/{limit}'


def _posts_table(posts: Sequence[Post], platforms: Platforms) -> str:
    if not posts:
        return '<p class="decision">No platform in the table takes this format.</p>'
    rows = []
    for post in posts:
        platform = platforms.get(post.platform)
        lengths = {name: (n, limit) for name, n, limit in post.lengths}
        title = (f'<div class="t title">{escape(post.title)}</div>' if post.title else "")
        tags = ""
        if platform.tags.form == "field" and post.tags:
            tags = f'<div class="tags">tags: {escape(", ".join(post.tags))}</div>'
        problems = "".join(f'<div class="over">{escape(p)}</div>' for p in post.problems)
        rows.append(
            f"<tr><td>{escape(platform.name)}</td><td>{title}"
            f'<div class="t">{escape(post.text)}</div>{tags}{problems}</td>'
            f'<td class="n">{_length(*lengths["title"]) if "title" in lengths else "–"}</td>'
            f'<td class="n">{_length(*lengths["text"])}</td></tr>')
    return ("<table><tr><th>platform</th><th>texts</th><th>title</th><th>text</th></tr>"
            + "".join(rows) + "</table>")


def _card(render: Render, out_root: Path, platforms: Platforms,
          decisions: Mapping[str, Mapping[str, Any]], server: bool,
          project: Path | None) -> str:
    meta = render.meta
    state = approval(render, decisions)
    decision = decisions.get(render.key)
    seconds = int(meta.get("duration_ms", 0)) / 1000
    facts = (f'{meta.get("width")}×{meta.get("height")} · {seconds:g} s · '
             f"{_size(render.video.stat().st_size)}")
    posts = posts_for(render_texts(render, project) or texts_from_metadata(meta), platforms,
                      render.lang, render.preset)
    warnings = [str(w) for w in meta.get("warnings", ())]
    for post in posts:
        warnings += post.problems
    said = ""
    if decision is not None:
        verb = "approved" if decision.get("status") == "approved" else "asked for changes"
        comment = f": “{escape(str(decision.get('comment')))}”" if decision.get("comment") else ""
        said = (f'<div class="decision">{escape(str(decision.get("who")))} {verb} '
                f'{escape(str(decision.get("when")))}{comment}</div>')
    warn = ("<details><summary>Check warnings (" + str(len(warnings)) + ')</summary><ul class='
            '"warn">' + "".join(f"<li>{escape(w)}</li>" for w in warnings) + "</ul></details>"
            if warnings else "")
    form = ""
    if server:
        form = ('<form class="review"><input name="who" placeholder="Reviewer" '
                'autocomplete="name"><span class="status"></span><textarea name="comment" '
                'placeholder="Comment (required for Needs changes)"></textarea>'
                '<div class="buttons"><button type="button" class="approve" '
                'data-action="approved">Approve</button><button type="button" '
                'class="changes" data-action="changes">Needs changes</button></div></form>')
    names = ", ".join(escape(p.platform) for p in posts) or "none takes this format"
    return (
        f'<article class="card" data-key="{escape(render.key, quote=True)}" '
        f'data-approval="{state}" data-duration-ms="{int(meta.get("duration_ms", 0))}">'
        f'<div class="player"><video controls preload="metadata" '
        f'poster="{_rel(render.cover, out_root)}" src="{_rel(render.video, out_root)}">'
        f"{_tracks(render, out_root)}</video></div>"
        f'<div class="body"><div class="head"><div><div class="what">'
        f"{escape(render.lang)} · {escape(render.preset)}</div>"
        f'<div class="facts">{escape(facts)}</div></div>'
        f'<span class="badge {state}">{BADGES[state]}</span></div>{said}'
        f"<details><summary>Platform texts: {names}</summary>"
        f"{_posts_table(posts, platforms)}</details>{warn}{form}</div></article>")


def gallery_html(out_root: Path, renders: Sequence[Render], platforms: Platforms,
                 decisions: Mapping[str, Mapping[str, Any]], *, server: bool,
                 project: Path | None = None) -> str:
    """The gallery page for ``renders`` (paths relative to ``out_root``)."""
    states = [approval(r, decisions) for r in renders]
    counts = " · ".join(f"<b>{states.count(s)}</b> {BADGES[s].lower()}"  # type: ignore[arg-type]
                        for s in BADGES if states.count(s))  # type: ignore[arg-type]
    sections = []
    for story_id, group in groupby(renders, key=lambda r: r.story_id):
        items = list(group)
        titles = {r.lang: str(r.meta.get("title", "")) for r in items}
        main_title = titles.get("zh") or titles.get("en") or story_id
        sub = " · ".join(t for lang, t in sorted(titles.items()) if t != main_title)
        cards = "".join(_card(r, out_root, platforms, decisions, server, project)
                        for r in items)
        sections.append(f'<section class="story" id="{escape(story_id, quote=True)}">'
                        f"<h2>{escape(main_title)}</h2><p class=\"sub\">{escape(sub)} · "
                        f"<code>{escape(story_id)}</code></p><div class=\"grid\">{cards}"
                        "</div></section>")
    mode = "review" if server else "gallery"
    script = f"<script>{SCRIPT}</script>" if server else ""
    body = "".join(sections) or "<p>No finished videos yet: run <code>storyreel render</code>.</p>"
    return (
        "<!doctype html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>storyreel {mode}</title>{PRELOAD}<style>{CSS}</style></head><body>"
        f"<header><h1>storyreel {mode}</h1><div class=\"counts\"><b>{len(renders)}</b> "
        f"videos{' · ' + counts if counts else ''}</div></header><main>{body}</main>"
        f"<footer>Platforms: {escape(', '.join(p.name for p in platforms))}</footer>"
        f"{script}</body></html>")
