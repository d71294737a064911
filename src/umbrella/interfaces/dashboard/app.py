"""The local dashboard (Dash; the `dashboard` extra): build a scenario from a preset and the
levers, run it, read the briefings' headline table and figures, in English or Japanese.

Every asset is served by the Dash server itself (no CDN: `serve_locally`); the page is rebuilt
in the chosen language (`?lang=ja`); the scenario is the YAML the widgets write, validated by
the command line's loader when it runs, with the loader's message shown next to the editor.
"""

from __future__ import annotations

import time
import urllib.parse
import uuid

from umbrella.errors import InputError
from umbrella.interfaces import i18n
from umbrella.interfaces.dashboard import charts
from umbrella.interfaces.dashboard import service as S


def _control_id(key: str) -> str:
    return "lever-" + key.replace(".", "-")


def _lever_widget(dcc, html, key: str, name: str, label: str, lang: str):
    kind, values = S.lever_choices(name)
    doc = S.lever_doc(name)
    data = i18n.t("dash.data", lang)
    if kind == "number":
        w = dcc.Input(id=_control_id(key), type="number", min=0, placeholder=data, debounce=True,
                      style={"width": "8em"})
    else:
        opts = [{"label": data, "value": S.DATA}] + [{"label": str(v).lower() if isinstance(v, bool) else str(v),
                                                      "value": str(v).lower() if isinstance(v, bool) else v}
                                                     for v in values]
        w = dcc.Dropdown(id=_control_id(key), options=opts, value=S.DATA, clearable=False,
                         style={"minWidth": "11em"})
    return html.Div([html.Label(label, title=doc, style={"fontSize": "0.85rem"}), w],
                    style={"display": "inline-block", "marginRight": "0.8rem", "verticalAlign": "top"})


def _shock_form(dcc, html, lang: str):
    from umbrella.data.facts import DEFAULT_ACTORS
    from umbrella.scenario.schema import SHOCK_TYPES
    t = lambda k, **kw: i18n.t(k, lang, **kw)   # noqa: E731
    box = {"display": "inline-block", "marginRight": "0.8rem", "verticalAlign": "top"}
    return html.Div([
        html.Div([html.Label(t("dash.shock.type")),
                  dcc.Dropdown(id="shock-type", value="troops", clearable=False, style={"minWidth": "14em"},
                               options=[{"label": f"{t('shock.' + k)} ({k})", "value": k} for k in SHOCK_TYPES])],
                 style=box),
        html.Div([html.Label(t("dash.shock.year")), dcc.Input(id="shock-year", type="number", value=2030,
                                                              style={"width": "6em"})], style=box),
        html.Div([html.Label(t("dash.shock.target")),
                  dcc.Dropdown(id="shock-target", value="KOR", style={"minWidth": "10em"},
                               options=[{"label": "all", "value": "all"}] +
                               [{"label": i18n.actor(a, lang), "value": a} for a in DEFAULT_ACTORS])], style=box),
        html.Div([html.Label(t("dash.shock.value")), dcc.Input(id="shock-value", type="text", value="0",
                                                               style={"width": "9em"})], style=box),
        html.Div([html.Label(t("dash.shock.fields")), dcc.Input(id="shock-fields", type="text",
                                                                placeholder="{tone: negative}",
                                                                style={"width": "14em"})], style=box),
        html.Button(t("dash.shock.add"), id="shock-add", n_clicks=0, style={"marginTop": "1.2rem"}),
        html.Button(t("dash.shock.clear"), id="shock-clear", n_clicks=0, style={"marginLeft": "0.5rem"}),
        html.Div(id="shock-error", style={"color": "#b3261e"}),
    ], style={"margin": "0.4rem 0"})


def _term_key(term: str, ally: str) -> str:
    """`defence_target.share` of the ROK -> `defence_target.KOR.share` (the lever's path)."""
    head, _, tail = term.partition(".")
    return f"{head}.{ally}.{tail}"


LEVER_KEYS = [f"{lv}.{a}" for a in S.ALLIES for lv in S.PER_ALLY] + \
    [_term_key(term, a) for a in S.ALLIES for term in S.PER_ALLY_TERMS] + list(S.GLOBAL) + list(S.NESTED)


def layout_for(lang: str, presets: list[str], worlds: list[str], limits: S.Limits, root=None,
               stores: list[str] | None = None):
    from dash import dash_table, dcc, html
    t = lambda k, **kw: i18n.t(k, lang, **kw)   # noqa: E731
    stores = stores or []
    ally_blocks = []
    for a in S.ALLIES:
        row = [html.Strong(i18n.actor(a, lang), style={"display": "block", "margin": "0.4rem 0"})]
        row += [_lever_widget(dcc, html, f"{lv}.{a}", lv, i18n.t(f"lever.{lv}", lang), lang) for lv in S.PER_ALLY]
        row += [_lever_widget(dcc, html, _term_key(term, a), term, i18n.t(f"lever.{term}", lang), lang)
                for term in S.PER_ALLY_TERMS]
        ally_blocks.append(html.Div(row))
    widgets = [
        html.Details([html.Summary(t("dash.levers.allies")), *ally_blocks], open=True),
        html.Details([html.Summary(t("dash.levers.global")),
                      html.Div([_lever_widget(dcc, html, lv, lv, i18n.t(f"lever.{lv}", lang), lang)
                                for lv in S.GLOBAL])], open=True),
        html.Details([html.Summary(t("lever.dprk_deal")),
                      html.Div([_lever_widget(dcc, html, k, k, i18n.t(f"lever.{k}", lang), lang)
                                for k in S.NESTED])]),
        html.Details([html.Summary(t("rep.shocks")), _shock_form(dcc, html, lang)]),
    ]
    return html.Div([
        html.Div([html.H2(t("dash.title"), style={"display": "inline-block", "marginRight": "2rem"}),
                  html.Label(t("dash.lang") + " "),
                  dcc.RadioItems(id="lang", options=[{"label": "English", "value": "en"},
                                                     {"label": "日本語", "value": "ja"}],
                                 value=lang, inline=True, style={"display": "inline-block"})]),
        html.Div([
            html.Div([html.Label(t("dash.preset")),
                      dcc.Dropdown(id="preset", options=presets, value="status-quo-2025", clearable=False)],
                     style={"width": "22em", "display": "inline-block", "marginRight": "1rem"}),
            html.Div([html.Label(t("dash.world")),
                      dcc.Dropdown(id="world", options=worlds, value="consensus", clearable=False)],
                     style={"width": "14em", "display": "inline-block", "marginRight": "1rem"}),
            html.Div([html.Label(t("dash.runs")),
                      dcc.Input(id="runs", type="number", value=min(10_000, limits.max_runs), min=100,
                                max=limits.max_runs, step=100, style={"width": "8em"})],
                     style={"display": "inline-block", "verticalAlign": "top"}),
        ]),
        html.H4(t("dash.levers")),
        html.Div(widgets),
        html.H4(t("dash.yaml")),
        dcc.Textarea(id="yaml", style={"width": "100%", "height": "9em", "fontFamily": "monospace"}),
        html.Div(id="yaml-error", style={"color": "#b3261e", "margin": "0.3rem 0"}),
        html.Button(t("dash.run"), id="run", n_clicks=0,
                    style={"fontSize": "1.1rem", "padding": "0.3rem 1.5rem", "marginRight": "1rem"}),
        html.Button(t("dash.download_yaml"), id="dl-yaml-btn", n_clicks=0, style={"marginRight": "1rem"}),
        html.Button(t("dash.download_report"), id="dl-report-btn", n_clicks=0),
        dcc.Download(id="dl-yaml"), dcc.Download(id="dl-report"),
        dcc.Tabs(id="tabs", value="run", children=[
            dcc.Tab(label=t("dash.tab.run"), value="run", children=[
                html.Div([html.Progress(id="progress", max="1", value="0", style={"width": "20em"}),
                          html.Span(id="progress-text", style={"marginLeft": "0.8rem", "fontSize": "0.9rem"})],
                         id="progress-box", style={"display": "none", "margin": "0.5rem 0"}),
                dcc.Interval(id="tick", interval=250, disabled=True),
                html.Div([      # no spinner over it: the progress bar says what is happening
                html.P(t("dash.ready"), id="status"),
                dash_table.DataTable(id="headline", columns=[{"name": t("rep.col.outcome"), "id": "label"},
                                                             {"name": t("rep.col.value"), "id": "value"},
                                                             {"name": t("rep.col.interval"), "id": "interval"}],
                                     data=[], style_cell={"textAlign": "left", "fontFamily": "inherit"},
                                     style_table={"maxHeight": "24em", "overflowY": "auto"}, page_action="none"),
                # one figure per tab: the browser draws the open one (seven at once took 0.6-0.9 s)
                html.Div(dcc.Tabs(id="fig-tabs", value="status-KOR", children=[
                    dcc.Tab(label=charts.tab_label(k, lang), value=k,
                            children=dcc.Graph(id=f"fig-{k}", figure=charts.empty(t("dash.fig.before")),
                                               config=charts.CONFIG))
                    for k in charts.FIGURES]), id="figures"),
            ])]),
            dcc.Tab(label=t("dash.tab.compare"), value="compare", children=[
                html.Div([html.Label(t("dash.baseline")),
                          dcc.Dropdown(id="baseline", options=presets, value="status-quo-2025", clearable=False)],
                         style={"width": "22em", "display": "inline-block", "margin": "0.6rem 1rem 0.6rem 0"}),
                dcc.Checklist(id="compare-worlds", options=[{"label": t("dash.compare.worlds"), "value": "all"}],
                              value=[], inline=True, style={"display": "inline-block", "marginRight": "1rem"}),
                html.Button(t("dash.compare.run"), id="compare-run", n_clicks=0),
                dcc.Loading(html.Div(id="compare-out"), type="default")]),
            dcc.Tab(label=t("dash.tab.explain"), value="explain", children=[
                html.Div([html.Label(t("dash.explain.actor")),
                          dcc.Dropdown(id="explain-actor", value="KOR", clearable=False,
                                       options=[{"label": i18n.actor(a, lang), "value": a}
                                                for a in ("KOR", "JPN", "TWN")])],
                         style={"width": "12em", "display": "inline-block", "margin": "0.6rem 1rem 0.6rem 0"}),
                html.Div([html.Label(t("dash.explain.event")),
                          dcc.Dropdown(id="explain-event", value="pursue", clearable=False,
                                       options=[{"label": t(f"status.{e}"), "value": e}
                                                for e in ("explore", "pursue", "arsenal")])],
                         style={"width": "12em", "display": "inline-block", "margin": "0.6rem 1rem 0.6rem 0"}),
                html.Button(t("dash.explain.run"), id="explain-run", n_clicks=0),
                dcc.Loading(html.Div(id="explain-out"), type="default")]),
            dcc.Tab(label=t("dash.tab.map"), value="map", children=[
                html.Button(t("dash.map.show"), id="map-run", n_clicks=0, style={"margin": "0.6rem 0"}),
                dcc.Loading(html.Div(id="map-out"), type="default")]),
            dcc.Tab(label=t("dash.tab.explore"), value="explore", children=[
                html.Div([html.Label(t("dash.store", root=str(root)) if root else t("dash.store.none")),
                          dcc.Dropdown(id="store", options=stores, value=stores[0] if stores else None)],
                         style={"width": "30em", "display": "inline-block", "margin": "0.6rem 1rem 0.6rem 0"}),
                html.Button(t("dash.store.open"), id="store-run", n_clicks=0, disabled=not stores),
                dcc.Loading(html.Div(id="store-out"), type="default")]),
        ]),
    ], style={"fontFamily": '"Noto Sans CJK JP", "IPAPGothic", "IPAGothic", "DejaVu Sans", sans-serif',
              "maxWidth": "70rem", "margin": "1rem auto", "padding": "0 1rem"})


def make_app(limits: S.Limits | None = None, root=None):
    """The Dash app (not started). `root`: the directory whose exploration stores the page may
    open (none: the Explore tab says how to give one); nothing else on disk is read."""
    try:
        import dash
        from dash import Input, Output, State, dash_table, dcc, html
    except ImportError as exc:
        raise InputError("dashboard", "dash", "install the dashboard extra: pip install -e '.[dashboard]'",
                         problem="is not installed") from exc
    from umbrella.scenario.load import list_presets, list_worlds
    limits = limits or S.Limits()
    runner = S.Runner(limits)
    presets = [p for p in list_presets() if p != "historical"]
    worlds = list_worlds()
    # the page is built by a callback (its language), so its ids are not in the initial layout
    app = dash.Dash(__name__, serve_locally=True, title="Umbrella", update_title=None,
                    suppress_callback_exceptions=True)
    app.runner = runner                 # tests and the load bench read the cache counters
    # the dated shocks added in the page, kept across a change of language
    # `token`: this page's own key for the progress of its runs (a new one per page load)
    app.layout = lambda: html.Div([dcc.Location(id="url"), dcc.Store(id="shocks", data=[], storage_type="session"),
                                   dcc.Store(id="token", data=uuid.uuid4().hex), html.Div(id="page")])
    pages: dict[tuple, object] = {}

    def lang_of(search: str | None) -> str:
        q = urllib.parse.parse_qs((search or "").lstrip("?"))
        v = (q.get("lang") or ["en"])[0]
        return v if v in i18n.LANGS else "en"

    @app.callback(Output("page", "children"), Input("url", "search"))
    def page(search):
        """The page in its language, built once per language and set of stores and kept as the
        JSON the browser receives (building and encoding its hundred widgets took 28 ms a visit)."""
        import json

        from plotly.utils import PlotlyJSONEncoder  # what Dash encodes components with
        key = (lang_of(search), tuple(S.stores_under(root)))
        if key not in pages:
            built = layout_for(key[0], presets, worlds, limits, root, list(key[1]))
            pages[key] = json.loads(json.dumps(built, cls=PlotlyJSONEncoder))
        return pages[key]

    def checked_path(text: str):
        """The scenario file of the page's YAML, after the loader's verdict (nothing runs on a
        bad value)."""
        S.load_text(text or "")
        return S.scenario_path(text or "")

    def failed(e: InputError, lang: str):
        return html.P(i18n.t("dash.error", lang, message=str(e)), style={"color": "#b3261e"})

    @app.callback(Output("compare-out", "children"), Input("compare-run", "n_clicks"), State("yaml", "value"),
                  State("world", "value"), State("runs", "value"), State("baseline", "value"),
                  State("compare-worlds", "value"), State("url", "search"), prevent_initial_call=True)
    def compare(_n, text, world, runs, baseline, every, search):
        from umbrella.analysis.compare import compare as run_compare
        from umbrella.analysis.compare import outcomes
        from umbrella.interfaces.briefing import figures as F
        lang = lang_of(search)
        try:
            n = S.check_limits(runs, limits)
            with checked_path(text) as p, runner._gate:
                if every:   # every world: the work grows six-fold, so the runs are capped lower
                    res = run_compare(baseline, str(p), runs=min(n, limits.max_runs // 6), worlds="all")
                else:
                    res = run_compare(baseline, str(p), runs=n, world=world)
        except InputError as e:
            return failed(e, lang)
        if every:
            return _robust_table(res, lang)
        cells = dict(outcomes(res["diff"]))
        rows = [{"label": F.compare_label(k, lang), "diff": f"{cells[k]['mean'] * 100:+.1f}",
                 "interval": f"{cells[k]['lo'] * 100:+.1f} – {cells[k]['hi'] * 100:+.1f}"}
                for k in F.compare_names(res["diff"]) if k in cells and cells[k]["lo"] is not None]
        img = F.data_uri(F.compare(res, lang))
        return html.Div([
            dash_table.DataTable(id="compare-table", data=rows, page_action="none",
                                 columns=[{"name": i18n.t("rep.col.outcome", lang), "id": "label"},
                                          {"name": i18n.t("rep.col.diff", lang), "id": "diff"},
                                          {"name": i18n.t("rep.col.interval", lang), "id": "interval"}],
                                 style_cell={"textAlign": "left", "fontFamily": "inherit"}),
            html.Img(src=img, style={"width": "70%"})])

    def _robust_table(res: dict, lang: str):
        from umbrella.analysis.compare import outcomes
        from umbrella.interfaces.briefing import figures as F
        from umbrella.interfaces.text import _verdict
        names = F.compare_names(next(iter(res["worlds"].values()))["diff"])
        cells = {w: dict(outcomes(d["diff"])) for w, d in res["worlds"].items()}
        rows = []
        for k in names:
            row = {"label": F.compare_label(k, lang)}
            for w in cells:
                c = cells[w].get(k)
                row[w] = "–" if c is None or c["mean"] is None else f"{c['mean'] * 100:+.1f}"
            cs = [cells[w][k] for w in cells if k in cells[w]]
            row["verdict"] = _verdict(cs, lang) if len(cs) == len(cells) else "–"
            rows.append(row)
        cols = [{"name": i18n.t("rep.col.outcome", lang), "id": "label"}] + \
            [{"name": w, "id": w} for w in cells] + [{"name": i18n.t("cmp.across", lang), "id": "verdict"}]
        return html.Div([html.P(i18n.t("cmp.explain", lang)),
                         dash_table.DataTable(id="compare-table", data=rows, columns=cols, page_action="none",
                                              style_cell={"textAlign": "left", "fontFamily": "inherit"})])

    @app.callback(Output("explain-out", "children"), Input("explain-run", "n_clicks"), State("yaml", "value"),
                  State("world", "value"), State("runs", "value"), State("explain-actor", "value"),
                  State("explain-event", "value"), State("url", "search"), prevent_initial_call=True)
    def explain(_n, text, world, runs, actor, event, search):
        from umbrella.analysis.explain import explain as run_explain
        lang = lang_of(search)
        try:
            n = min(S.check_limits(runs, limits), 2000)
            with checked_path(text) as p, runner._gate:
                ex = run_explain(str(p), actor, event, runs=n, world=world)
        except InputError as e:
            return failed(e, lang)
        rows = [{"driver": i18n.t(f"driver.{d['driver']}", lang), "share": i18n.pct(d["share_attributable"], lang)}
                for d in sorted(ex["drivers"], key=lambda d: -d["share_attributable"]) if d["in_scenario"]]
        label = i18n.headline_label(f"{actor}.{event}.{ex['by']}", lang)
        return html.Div([
            html.P(i18n.t("rep.why.text", lang, outcome=label) + f" ({i18n.pct(ex['p_event'], lang)}, "
                   f"{i18n.num(ex['runs'], lang)} {i18n.t('rep.m.runs', lang)})"),
            dash_table.DataTable(id="explain-table", data=rows, page_action="none",
                                 columns=[{"name": i18n.t("rep.why.driver", lang), "id": "driver"},
                                          {"name": i18n.t("rep.why.share", lang), "id": "share"}],
                                 style_cell={"textAlign": "left", "fontFamily": "inherit"})])

    @app.callback(Output("map-out", "children"), Input("map-run", "n_clicks"), State("yaml", "value"),
                  State("url", "search"), prevent_initial_call=True)
    def show_map(_n, text, search):
        from umbrella.interfaces.briefing.report import _map
        lang = lang_of(search)
        try:
            sc = S.load_text(text or "")
        except InputError as e:
            return failed(e, lang)
        return html.Img(id="map-img", src=_map(sc, lang), style={"width": "100%"})

    @app.callback(Output("store-out", "children"), Input("store-run", "n_clicks"), State("store", "value"),
                  State("url", "search"), prevent_initial_call=True)
    def open_store(_n, name, search):
        from umbrella.interfaces.briefing.report import _store_section
        lang = lang_of(search)
        allowed = S.stores_under(root)
        if name not in allowed:        # only the stores listed from the start-up directory
            return failed(InputError("store", name, "a store listed under " + str(root)), lang)
        try:
            xs = _store_section(str(S.store_path(root, name)), lang)
        except InputError as e:
            return failed(e, lang)
        parts = [html.P(xs["text"])]
        for part in (xs["sens"], xs["rank"]):
            if part:
                parts.append(html.Img(src=part["image"], style={"width": "70%", "display": "block"}))
        return html.Div(parts)

    @app.callback(Output("url", "search"), Input("lang", "value"), prevent_initial_call=True)
    def switch(lang):
        return f"?lang={lang}"

    lever_inputs = [Input(_control_id(k), "value") for k in LEVER_KEYS]

    @app.callback(Output("yaml", "value"), Input("preset", "value"), Input("shocks", "data"), *lever_inputs)
    def build(preset, shocks, *values):
        return S.scenario_yaml(preset, S.overrides(dict(zip(LEVER_KEYS, values, strict=True))), shocks)

    @app.callback(Output("shocks", "data"), Output("shock-error", "children"),
                  Input("shock-add", "n_clicks"), Input("shock-clear", "n_clicks"),
                  State("shocks", "data"), State("preset", "value"), State("shock-type", "value"),
                  State("shock-year", "value"), State("shock-target", "value"), State("shock-value", "value"),
                  State("shock-fields", "value"), State("url", "search"), prevent_initial_call=True)
    def shocks(_add, _clear, current, preset, kind, year, target, value, fields, search):
        lang = lang_of(search)
        if dash.ctx.triggered_id == "shock-clear":
            return [], ""
        try:
            sh = S.shock(kind, year, target, value, fields)
            S.load_text(S.scenario_yaml(preset, [], [*(current or []), sh]))   # the schema's verdict now
        except InputError as e:
            return dash.no_update, i18n.t("dash.error", lang, message=str(e))
        return [*(current or []), sh], ""

    @app.callback(Output("status", "children"), Output("headline", "data"),
                  *[Output(f"fig-{k}", "figure") for k in charts.FIGURES],
                  Output("yaml-error", "children"),
                  Input("run", "n_clicks"), State("yaml", "value"), State("world", "value"),
                  State("runs", "value"), State("url", "search"), State("token", "data"), prevent_initial_call=True,
                  running=[(Output("tick", "disabled"), False, True), (Output("run", "disabled"), True, False),
                           (Output("progress-box", "style"), {"display": "block", "margin": "0.5rem 0"},
                            {"display": "none"})])
    def run(_n, text, world, runs, search, token=None):
        from umbrella.interfaces.briefing.figures import caption_text  # under the table, not on each chart
        lang = lang_of(search)
        t0 = time.perf_counter()
        try:
            s, cached = runner.summary(text or "", world, runs, token=token)
        except InputError as e:
            msg = i18n.t("dash.error", lang, message=str(e))
            return (msg, [], *[dash.no_update] * len(charts.FIGURES), msg)
        rows = [{"label": r["label"] + (" ⚑" if r["rare"] else ""), "value": r["value"], "interval": r["interval"]}
                for r in S.headline(s, lang)]
        figs = [fig for _, fig in charts.run_figures(s, lang)]
        status = i18n.t("dash.done", lang, runs=i18n.num(s["runs"], lang),
                        seconds=f"{time.perf_counter() - t0:.1f}",
                        cached=i18n.t("dash.cached", lang) if cached else "") + " · " + caption_text(s, lang)
        return (status, rows, *figs, "")

    @app.callback(Output("progress", "value"), Output("progress-text", "children"),
                  Input("tick", "n_intervals"), State("token", "data"), State("runs", "value"),
                  State("url", "search"), prevent_initial_call=True)
    def tick(_n, token, runs, search):
        """The running simulation's share done and the time left (from the pace so far)."""
        lang = lang_of(search)
        p = runner.progress(token or "")
        if p is None or p[0] <= 0:
            return "0", i18n.t("dash.starting", lang)
        share, elapsed = p
        left = elapsed * (1 - share) / share
        return f"{share:.3f}", i18n.t("dash.progress", lang, share=i18n.pct(share, lang, 0),
                                      runs=i18n.num(runs or 0, lang), seconds=f"{left:.0f}")

    @app.callback(Output("dl-yaml", "data"), Input("dl-yaml-btn", "n_clicks"), State("yaml", "value"),
                  prevent_initial_call=True)
    def download_yaml(_n, text):
        return {"content": text or "", "filename": "scenario.yaml"}

    @app.callback(Output("dl-report", "data"), Output("yaml-error", "children", allow_duplicate=True),
                  Input("dl-report-btn", "n_clicks"), State("yaml", "value"), State("world", "value"),
                  State("runs", "value"), State("url", "search"), prevent_initial_call=True)
    def download_report(_n, text, world, runs, search):
        from umbrella.interfaces.briefing import report as R
        lang = lang_of(search)
        try:
            n = S.check_limits(runs, limits)
            with checked_path(text) as p, runner._gate:
                ctx = R.build(str(p), lang=lang, world=world, runs=n)
            html_text = R.render_html(ctx)
        except InputError as e:
            return dash.no_update, i18n.t("dash.error", lang, message=str(e))
        return {"content": html_text, "filename": f"report-{lang}.html"}, ""

    return app


def run_request(text: str, world: str, runs: int, search: str = "") -> bytes:
    """The JSON body the page POSTs to /_dash-update-component when Run is pressed: what the load
    test and the benchmark send to read a result over HTTP as a browser does."""
    import json
    outs = [("status", "children"), ("headline", "data"), *((f"fig-{k}", "figure") for k in charts.FIGURES),
            ("yaml-error", "children")]
    return json.dumps({"output": ".." + "...".join(f"{i}.{p}" for i, p in outs) + "..",
                       "outputs": [{"id": i, "property": p} for i, p in outs],
                       "inputs": [{"id": "run", "property": "n_clicks", "value": 1}],
                       "changedPropIds": ["run.n_clicks"],
                       "state": [{"id": "yaml", "property": "value", "value": text},
                                 {"id": "world", "property": "value", "value": world},
                                 {"id": "runs", "property": "value", "value": runs},
                                 {"id": "url", "property": "search", "value": search},
                                 {"id": "token", "property": "data", "value": "http-client"}]}).encode()


def serve(host: str = "127.0.0.1", port: int = 8050, limits: S.Limits | None = None, root=None) -> None:
    import logging
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # not one line per request
    app = make_app(limits, root)
    try:
        app.run(host=host, port=port, debug=False, threaded=True)
    finally:
        app.runner.close()
