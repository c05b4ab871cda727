// The page's only stylesheet, inline so the Content-Security-Policy can forbid every external
// asset. Colours come in a light and a dark set; a status is never shown by colour alone.
export const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d8dee4;
--accent:#0969da;--up:#1a7f37;--late:#9a6700;--running:#0969da;--down:#cf222e;--new:#6e7781;
--paused:#8250df;--log:#8c959f;--tint:rgba(9,105,218,.06)}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9198a1;
--line:#30363d;--accent:#4493f8;--up:#3fb950;--late:#d29922;--running:#4493f8;--down:#f85149;
--new:#8b949e;--paused:#ab7df8;--log:#6e7681;--tint:rgba(68,147,248,.08)}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
header.top{display:flex;align-items:center;gap:1rem;padding:.7rem 1rem;border-bottom:1px solid var(--line);background:var(--card)}
header.top .brand{font-weight:700;color:var(--fg);letter-spacing:.02em}
header.top .spacer{flex:1}
main{max-width:1100px;margin:0 auto;padding:1rem}
footer{max-width:1100px;margin:0 auto;padding:1rem;color:var(--muted);font-size:.85rem}
h1{font-size:1.4rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.6rem 0 .6rem}
.muted{color:var(--muted)}.small{font-size:.85rem}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem}
.summary{margin:0 0 .6rem;font-size:1.05rem}.summary > span:not(.sep){color:var(--st);font-weight:600;white-space:nowrap}
.summary .sep{color:var(--muted)}
.banner{margin:0 0 1rem;padding:.7rem 1rem;border:1px solid var(--down);border-left-width:4px;border-radius:8px;background:var(--card)}
.banner strong{color:var(--down)}
.banner.notice{border-color:var(--late)}.banner.notice strong{color:inherit}
.uptime b{font-weight:500;color:var(--fg)}
.ping-urls{list-style:none;margin:0;padding:0}.ping-urls li{margin:0 0 .5rem}
.filters{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 1rem}
.chip{display:inline-block;padding:.15rem .6rem;border:1px solid var(--line);border-radius:999px;background:var(--card);color:var(--fg);font-size:.85rem}
.chip.on{border-color:var(--accent);background:var(--tint);font-weight:600}
.chip .n{color:var(--muted);margin-left:.3rem}
.monitors{display:grid;gap:.6rem}
.monitor{display:grid;grid-template-columns:minmax(12rem,1fr) minmax(0,1.5fr) 17rem;gap:.3rem 1.2rem;align-items:center;border-left:4px solid var(--st)}
.monitor .name{font-weight:600;overflow-wrap:anywhere}
.monitor .facts{display:flex;flex-wrap:wrap;gap:.1rem 1.2rem;font-size:.85rem;color:var(--muted)}
.monitor .facts b{font-weight:500;color:var(--fg)}
@media (max-width:700px){.monitor{grid-template-columns:1fr}}
.status{display:inline-flex;align-items:center;gap:.35rem;font-weight:600;font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--st)}
.status::before{content:"";width:.6rem;height:.6rem;border-radius:50%;background:var(--st)}
.st-up{--st:var(--up)}.st-late{--st:var(--late)}.st-running{--st:var(--running)}
.st-down{--st:var(--down)}.st-new{--st:var(--new)}.st-paused{--st:var(--paused)}
.tag{display:inline-block;font-size:.75rem;padding:0 .45rem;border-radius:4px;background:var(--tint);color:var(--muted);margin-right:.25rem}
.strip{display:flex;gap:2px;flex-wrap:wrap;justify-content:flex-end}
dd .strip{justify-content:flex-start}
@media (max-width:700px){.strip{justify-content:flex-start}}
.mark{display:inline-block;width:9px;height:18px;border-radius:2px;background:var(--log)}
.mark.success{background:var(--up)}.mark.fail{background:var(--down)}.mark.start{background:var(--running)}
.mark.log{background:var(--log);opacity:.6}
.mark.late{background:transparent;border:2px solid var(--late)}
.mark.missed{background:transparent;border:2px solid var(--down)}
.empty{text-align:center;padding:2rem 1rem;color:var(--muted)}
.empty pre{display:inline-block;text-align:left;color:var(--fg)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.urls code.url{display:block;user-select:all;padding:.3rem .5rem;margin:.2rem 0;background:var(--bg);border:1px solid var(--line);border-radius:4px;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.8rem 0}
.actions form{display:inline-flex;align-items:center;gap:.3rem;margin:0}
button,select,input{font:inherit;padding:.35rem .8rem;border-radius:6px;border:1px solid var(--line);background:var(--card);color:var(--fg)}
button{cursor:pointer;font-weight:600}button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:var(--card)}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);vertical-align:top;white-space:nowrap}
th{color:var(--muted);font-weight:500}
td .mark{width:.6rem;height:.6rem;margin-right:.3rem;vertical-align:baseline}tr:last-child td{border-bottom:0}
td.wrap{white-space:normal;min-width:12rem;max-width:32rem}
@media (max-width:700px){
.reflow{overflow-x:visible;border:0;background:transparent}
.reflow table,.reflow tbody,.reflow tr,.reflow td{display:block;width:100%}
.reflow thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.reflow tr{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0 0 .5rem;padding:.3rem 0}
.reflow td{display:flex;align-items:baseline;gap:.35rem;white-space:normal;overflow-wrap:anywhere;border:0;padding:.15rem .7rem}
.reflow td::before{content:attr(data-label);flex:0 0 7rem;color:var(--muted);font:.85rem/1.5 system-ui,sans-serif}
.reflow td.wrap{min-width:0;max-width:none}.reflow td > details{min-width:0;flex:1}
}
details pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:20rem;overflow:auto;margin:.3rem 0 0}
.pager{display:flex;gap:1rem;justify-content:flex-end;padding:.4rem 0;font-size:.85rem}
.charts{display:grid;gap:.6rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr))}
.chart{width:100%;height:auto;display:block}.chart-card{margin:0}
.chart .axis{stroke:var(--line)}.chart text{fill:var(--muted);font-size:13px}
.chart .duration{stroke:var(--accent);fill:none;stroke-width:1.5}.chart .dot-duration{fill:var(--accent)}
.chart .value{stroke:var(--late);fill:none;stroke-width:1.5}.chart .dot-value{fill:var(--late)}
.login{max-width:24rem;margin:3rem auto}
.login label{display:block;margin:.6rem 0 .3rem}
.login input{width:100%}
.error{color:var(--down);font-weight:600}
`;
