/** The dashboard's one stylesheet, served from the listener itself (the CSP allows only 'self'). */
export const STYLESHEET = `
:root { color-scheme: light dark; --bg: #f6f7f9; --fg: #1d2330; --muted: #5b6474; --card: #fff;
  --line: #d9dde5; --accent: #2f6feb; --warn-bg: #fff1e6; --warn: #b54708; --ok: #067647; --bad: #b42318; }
@media (prefers-color-scheme: dark) { :root { --bg: #12151b; --fg: #e6e9ef; --muted: #98a2b3; --card: #1a1f27;
  --line: #2c3340; --accent: #6ea8fe; --warn-bg: #3a2612; --warn: #fdb022; --ok: #47cd89; --bad: #f97066; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .75rem 1.5rem; background: var(--card); border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; }
nav a { margin-right: 1rem; color: var(--muted); text-decoration: none; }
nav a.current { color: var(--accent); font-weight: 600; }
header form { margin-left: auto; }
main { padding: 1.25rem 1.5rem; max-width: 1200px; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: .75rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.card .label { color: var(--muted); font-size: .85rem; }
.card .value { font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.warning { background: var(--warn-bg); color: var(--warn); border: 1px solid var(--warn); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; font-weight: 600; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .muted { color: var(--muted); }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
tr.stuck td { background: var(--warn-bg); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .2rem; }
input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--fg); }
button, .button { background: var(--accent); color: #fff; border: 0; cursor: pointer; padding: .4rem .9rem; border-radius: 6px; text-decoration: none; display: inline-block; }
.pager { margin: .75rem 0; display: flex; gap: 1rem; }
svg.chart { width: 100%; height: 180px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
svg.chart .wallet { stroke: var(--accent); } svg.chart .owed { stroke: var(--bad); }
svg.chart text { fill: var(--muted); font-size: 11px; }
.legend span { margin-right: 1rem; } .legend .wallet { color: var(--accent); } .legend .owed { color: var(--bad); }
.centered { max-width: 28rem; margin: 4rem auto; }
`;
