"""The self-contained interactive page: HTML, CSS and a small canvas renderer written for ropa (no library, no
CDN, works offline). ``__DATA__`` is replaced by the graph as JSON, ``__TITLE__`` by the escaped title.

What the page does: pan (drag), zoom (wheel or +/-), hover for a node's label, kind and degree, click a node to
keep only it and its neighbours lit, type in the search box to find nodes by label, tick facets on and off in
the legend. Node positions are computed in Python; the page only draws."""

# ruff: noqa: E501  (the inline page is kept as written)
TEMPLATE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
html,body{margin:0;height:100%;font:13px system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#222}
#bar{position:absolute;top:0;left:0;right:0;padding:6px 10px;background:#fafafa;border-bottom:1px solid #ddd;
 display:flex;gap:14px;align-items:center;flex-wrap:wrap;z-index:2}
#bar h1{font-size:14px;margin:0}
#note{color:#8a4b00}
#legend label{margin-right:8px;white-space:nowrap;cursor:pointer}
#legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:3px;vertical-align:-1px}
#c{position:absolute;left:0;right:0;bottom:0;cursor:grab}
#tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #999;border-radius:4px;padding:4px 6px;
 box-shadow:0 1px 4px rgba(0,0,0,.2);display:none;max-width:360px;z-index:3}
#help{color:#666}
</style></head><body>
<div id="bar"><h1>__TITLE__</h1><input id="q" type="search" placeholder="find a node…" size="22">
<span id="legend"></span><span id="note"></span>
<span id="help">drag to pan (edges hide while dragging a large graph) · wheel to zoom · click a node to focus · Esc to reset</span></div>
<canvas id="c"></canvas><div id="tip"></div>
<script id="graph" type="application/json">__DATA__</script>
<script>
(function(){
"use strict";
const G=JSON.parse(document.getElementById("graph").textContent);
const N=G.nodes, E=G.edges, C=G.colours;
const cv=document.getElementById("c"), ctx=cv.getContext("2d"), tip=document.getElementById("tip");
const bar=document.getElementById("bar");
let W=0,H=0,scale=1,ox=0,oy=0,focus=-1,hover=-1,matches=new Set();
const hidden=new Set(), adj=N.map(()=>[]);
E.forEach(([a,b])=>{adj[a].push(b);adj[b].push(a);});
document.getElementById("note").textContent=G.note||"";
const legend=document.getElementById("legend");
G.facets.forEach(f=>{const l=document.createElement("label");
 l.innerHTML='<input type="checkbox" checked> <i style="background:'+(C[f]||"#999")+'"></i>'+f.replace(/_/g," ");
 l.querySelector("input").onchange=e=>{e.target.checked?hidden.delete(f):hidden.add(f);draw();};legend.appendChild(l);});
function fit(){const xs=N.map(n=>n.x),ys=N.map(n=>n.y);const x0=Math.min(...xs),x1=Math.max(...xs),
 y0=Math.min(...ys),y1=Math.max(...ys);scale=Math.min((W-80)/((x1-x0)||1),(H-80)/((y1-y0)||1));
 ox=W/2-scale*(x0+x1)/2;oy=H/2-scale*(y0+y1)/2;}
function resize(){const top=bar.offsetHeight;cv.style.top=top+"px";W=window.innerWidth;H=window.innerHeight-top;
 const d=window.devicePixelRatio||1;cv.width=W*d;cv.height=H*d;cv.style.width=W+"px";cv.style.height=H+"px";
 ctx.setTransform(d,0,0,d,0,0);}
const sx=n=>ox+scale*n.x, sy=n=>oy+scale*n.y;
function visible(i){return !hidden.has(N[i].facet);}
function lit(i){if(focus<0&&!matches.size)return true;if(matches.has(i))return true;
 return focus>=0&&(i===focus||adj[focus].includes(i));}
function draw(){ctx.clearRect(0,0,W,H);
 ctx.lineWidth=1;if(!(drag&&moved&&E.length>15000)){
  if(E.length>5000){const groups={};E.forEach(([a,b,w,f])=>{if(!visible(a)||!visible(b))return;
    const on=lit(a)&&lit(b)&&(focus<0||a===focus||b===focus);const k=(on?"1":"0")+f;(groups[k]=groups[k]||[]).push(a,b);});
   Object.entries(groups).forEach(([k,ab])=>{const on=k[0]==="1";ctx.strokeStyle=C[k.slice(1)]||"#999";
    ctx.globalAlpha=on?(focus>=0?0.8:0.12):0.03;ctx.beginPath();
    for(let i=0;i<ab.length;i+=2){ctx.moveTo(sx(N[ab[i]]),sy(N[ab[i]]));ctx.lineTo(sx(N[ab[i+1]]),sy(N[ab[i+1]]));}ctx.stroke();});}
  else E.forEach(([a,b,w,f])=>{if(!visible(a)||!visible(b))return;const on=lit(a)&&lit(b)&&(focus<0||a===focus||b===focus);
  ctx.strokeStyle=C[f]||"#999";ctx.globalAlpha=on?(focus>=0?0.8:0.25):0.04;ctx.lineWidth=Math.min(1+Math.log(w||1),4);
  ctx.beginPath();ctx.moveTo(sx(N[a]),sy(N[a]));ctx.lineTo(sx(N[b]),sy(N[b]));ctx.stroke();});}
 ctx.globalAlpha=1;
 N.forEach((n,i)=>{if(!visible(i))return;const on=lit(i);ctx.globalAlpha=on?1:0.12;
  ctx.fillStyle=C[n.facet]||"#999";ctx.beginPath();ctx.arc(sx(n),sy(n),n.r*Math.sqrt(Math.max(scale/G.scale0,0.3)),0,6.2832);ctx.fill();});
 ctx.font="11px system-ui,sans-serif";ctx.fillStyle="#111";
 N.forEach((n,i)=>{if(!visible(i)||!lit(i))return;const big=scale/G.scale0;
  const show=i===hover||i===focus||matches.has(i)||(focus>=0&&adj[focus].includes(i))||
   (n.kind==="company"&&G.companyLabels)||big>G.labelZoom[n.kind];
  if(show){ctx.globalAlpha=1;ctx.fillText(n.label.length>48?n.label.slice(0,47)+"…":n.label,sx(n)+n.r+3,sy(n)+4);}});
 ctx.globalAlpha=1;}
function at(mx,my){let best=-1,bd=1e9;N.forEach((n,i)=>{if(!visible(i))return;const d=Math.hypot(sx(n)-mx,sy(n)-my);
 if(d<Math.max(n.r+4,7)&&d<bd){bd=d;best=i;}});return best;}
let drag=null,moved=false;
cv.onmousedown=e=>{drag=[e.clientX,e.clientY,ox,oy];moved=false;cv.style.cursor="grabbing";};
window.onmouseup=e=>{if(drag&&!moved){const r=cv.getBoundingClientRect();const i=at(e.clientX-r.left,e.clientY-r.top);
 if(e.target===cv){focus=(i===focus)?-1:i;draw();}}drag=null;cv.style.cursor="grab";};
cv.onmousemove=e=>{const r=cv.getBoundingClientRect(),mx=e.clientX-r.left,my=e.clientY-r.top;
 if(drag){if(Math.abs(e.clientX-drag[0])+Math.abs(e.clientY-drag[1])>3)moved=true;ox=drag[2]+e.clientX-drag[0];
  oy=drag[3]+e.clientY-drag[1];draw();return;}
 const i=at(mx,my);if(i!==hover){hover=i;draw();}
 if(i>=0){const n=N[i];tip.style.display="block";tip.style.left=(e.clientX+12)+"px";tip.style.top=(e.clientY+12)+"px";
  tip.innerHTML="<b></b><br><span></span>";tip.firstChild.textContent=n.label;
  tip.lastChild.textContent=n.kind+(n.facet!==n.kind?" · "+n.facet.replace(/_/g," "):"")+" · "+adj[i].length+" links"+(n.info?" · "+n.info:"");}
 else tip.style.display="none";};
function zoom(f,mx,my){ox=mx-(mx-ox)*f;oy=my-(my-oy)*f;scale*=f;draw();}
cv.onwheel=e=>{e.preventDefault();const r=cv.getBoundingClientRect();zoom(e.deltaY<0?1.15:1/1.15,e.clientX-r.left,e.clientY-r.top);};
document.getElementById("q").oninput=e=>{const q=e.target.value.trim().toLowerCase();matches=new Set();
 if(q.length>1)N.forEach((n,i)=>{if(n.label.toLowerCase().includes(q))matches.add(i);});draw();};
window.onkeydown=e=>{if(e.key==="Escape"){focus=-1;matches=new Set();document.getElementById("q").value="";draw();}
 if(e.key==="+"||e.key==="=")zoom(1.2,W/2,H/2);if(e.key==="-")zoom(1/1.2,W/2,H/2);};
window.onresize=()=>{resize();draw();};
resize();fit();G.scale0=scale;draw();
})();
</script></body></html>
"""
