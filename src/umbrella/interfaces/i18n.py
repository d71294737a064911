"""Every label of the briefings (figures, reports, their tables) in English and Japanese, in one
checked table, and the locale's number, percent and date formats (Babel, CLDR data).

`t(key, lang, **fmt)` looks a label up; a missing key or language is an error, never a silent
English fallback. Actor names come from the bundled actor registry (`actors.csv`: `name_en`,
`name_ja`). `tests/test_briefing.py` checks that both languages have the same keys, that every
actor, status, posture, theatre, lever and headline outcome of the product has a label in each,
and that the Japanese labels are not English. The map's words live in `maps/maptext.py`, with
the same two-language check.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math

from umbrella.errors import InputError

LANGS = ("en", "ja")

# one row per key: (English, Japanese)
_ROWS: dict[str, tuple[str, str]] = {
    # nuclear statuses (the highest level reached) and the aligners' postures
    "status.explore": ("exploring", "検討"),
    "status.pursue": ("pursuing", "開発"),
    "status.arsenal": ("armed", "保有"),
    "status.covert": ("covert programme", "秘密開発"),
    "posture.balancing": ("balancing", "対抗"),
    "posture.hedging": ("hedging", "ヘッジ"),
    "posture.accommodating": ("accommodating", "宥和"),
    # theatres of the crisis layer
    "theatre.korea": ("Korean Peninsula", "朝鮮半島"),
    "theatre.taiwan": ("Taiwan Strait", "台湾海峡"),
    "theatre.east-china-sea": ("East China Sea", "東シナ海"),
    "theatre.europe": ("Europe", "欧州"),
    "theatre.any": ("any theatre", "いずれかの戦域"),
    # headline outcomes (analysis/headlines.py names)
    "outcome.status": ("{actor} {level} by {year}", "{year}年までに{actor}が{level}"),
    "outcome.warheads": ("{actor} warheads in {year} (median)", "{year}年の{actor}の核弾頭数（中央値）"),
    "outcome.credibility": ("credibility of the US commitment to {actor}, {year} (median)",
                            "{year}年の{actor}に対する米国の拡大抑止の信頼性（中央値）"),
    "outcome.credibility_pair": ("credibility of {patron}'s commitment to {actor}, {year} (median)",
                                 "{year}年の{actor}に対する{patron}の拡大抑止の信頼性（中央値）"),
    "outcome.accommodating": ("{actor} accommodating China in {year}", "{year}年に{actor}が中国に宥和"),
    "outcome.war": ("war in the {theatre} theatre by {year}", "{year}年までに{theatre}で戦争"),
    "outcome.nuclear_use": ("nuclear use in the {theatre} theatre by {year}", "{year}年までに{theatre}で核使用"),
    "outcome.nuclear_use_any": ("nuclear use in any theatre by {year}", "{year}年までにいずれかの戦域で核使用"),
    "outcome.npt_collapse": ("NPT collapse by {year}", "{year}年までにNPT体制が崩壊"),
    "outcome.ttw": ("{actor}: years from a programme to the first weapon (median)",
                    "{actor}：開発開始から最初の核兵器までの年数（中央値）"),
    # levers (scenario.schema.Levers)
    "lever.us_administration": ("US administration", "米政権"),
    "lever.rok_camp": ("ROK government camp", "韓国政権の陣営"),
    "lever.us_troops": ("US troops by host", "受入国別の在外米軍兵力"),
    "lever.consultation": ("nuclear consultation", "核協議"),
    "lever.nuclear_sharing": ("nuclear sharing", "核共有"),
    "lever.forward_weapons": ("US nuclear weapons based forward", "米核兵器の前方配備"),
    "lever.us_permits_nuclear": ("US accepts an ally's own deterrent", "同盟国の独自核保有を米国が容認"),
    "lever.defence_target": ("defence spending target", "国防費の目標"),
    "lever.defence_target.share": ("defence target: share of GDP (0-0.2)", "国防費の目標：GDP比（0〜0.2）"),
    "lever.defence_target.by": ("defence target: by year", "国防費の目標：達成年"),
    "lever.burden_sharing": ("burden sharing", "負担分担"),
    "lever.china_warheads_target_2035": ("China's 2035 warhead target", "中国の2035年核弾頭目標"),
    "lever.dprk_test_moratorium": ("DPRK test moratorium", "北朝鮮の実験モラトリアム"),
    "lever.dprk_icbm_capability": ("DPRK ICBM capability", "北朝鮮のICBM能力"),
    "lever.dprk_mrbm_capability": ("DPRK medium- and intermediate-range capability", "北朝鮮の準中距離・中距離ミサイル能力"),
    "lever.status": ("nuclear status at the start", "開始年の核の地位"),
    "lever.crisis_onsets": ("crises start by themselves", "危機の自然発生"),
    "lever.allied_decapitation_doctrine": ("allied decapitation doctrine", "同盟の斬首作戦ドクトリン"),
    "lever.dprk_predelegation": ("DPRK pre-delegated launch authority", "北朝鮮の発射権限の事前委任"),
    "lever.us_declaratory_dprk": ("US declaratory policy toward DPRK first use", "北朝鮮の先行使用に対する米国の宣言政策"),
    "lever.dprk_deal": ("risk-reduction deal with the DPRK", "北朝鮮とのリスク低減合意"),
    "lever.trilateral_coordination": ("US-Japan-ROK coordination", "日米韓の連携"),
    "lever.us_theater_nuclear": ("US theatre nuclear forces", "米国の戦域核戦力"),
    "lever.dprk_deal.no_decapitation_for_no_predelegation": ("no decapitation doctrine for no pre-delegation", "斬首作戦の放棄と事前委任の放棄の交換"),
    "lever.dprk_deal.icbm_cap": ("DPRK ICBM cap", "北朝鮮のICBM上限"),
    "lever.dprk_deal.mrbm_cap": ("DPRK MRBM and IRBM cap", "北朝鮮の準中距離・中距離ミサイル上限"),
    "lever.dprk_deal.negative_security_assurance": ("US negative security assurance", "米国の消極的安全保証"),
    "lever.dprk_deal.freeze": ("DPRK freeze of fissile production", "北朝鮮の核分裂性物質生産の凍結"),
    "lever.tnw_forward_based": ("US theatre nuclear weapons forward-based in a crisis", "危機時の米戦域核の前方配備"),
    # drivers of the explain command's attribution (analysis/explain.py)
    "driver.us_signals": ("US signals of doubt (troop cuts, ultimatums, downgrades)", "米国の疑念を招くシグナル（兵力削減、最後通告、格下げ）"),
    "driver.america_first": ("an America-first administration", "米国第一主義の政権"),
    "driver.crises": ("crises and wars", "危機と戦争"),
    "driver.neighbours": ("neighbours' and rivals' programmes", "近隣国・競争相手の核開発"),
    "driver.public_opinion": ("public opinion", "世論"),
    "driver.us_acceptance": ("US acceptance of an ally's deterrent", "同盟国の核抑止力の米国による容認"),
    "driver.restraints": ("the absence of sanctions and US pressure", "制裁と米国の圧力の欠如"),
    "driver.scenario_programmes": ("programmes imposed by the scenario", "シナリオが課す核開発"),
    # dated shocks (scenario.schema)
    "shock.troops": ("US troop level", "米軍兵力"),
    "shock.hns_ultimatum": ("host-nation support ultimatum", "受入国支援の最後通告"),
    "shock.rhetoric": ("US rhetoric", "米国の発言"),
    "shock.consultation": ("nuclear consultation", "核協議"),
    "shock.nuclear_sharing": ("nuclear sharing", "核共有"),
    "shock.forward_weapons": ("US nuclear weapons based forward", "米核兵器の前方配備"),
    "shock.administration": ("US administration", "米政権"),
    "shock.rok_camp": ("ROK government camp", "韓国政権の陣営"),
    "shock.programme": ("nuclear programme decision", "核開発の決定"),
    "shock.npt_withdrawal": ("NPT withdrawal", "NPT脱退"),
    "shock.economic_coercion": ("economic coercion", "経済的威圧"),
    "shock.nuclear_test": ("nuclear test", "核実験"),
    "shock.crisis_outcome": ("crisis outcome", "危機の結末"),
    "shock.crisis": ("crisis", "危機"),
    "shock.war": ("war", "戦争"),
    "shock.permit_nuclear": ("US accepts an ally's deterrent", "同盟国の核保有を米国が容認"),
    # figures
    "fig.status.title": ("{actor}: probability of each nuclear status by year", "{actor}：核の地位ごとの確率（年別）"),
    "fig.status.y": ("share of runs (90 % interval)", "シミュレーションの割合（90％区間）"),
    "fig.year": ("year", "年"),
    "fig.credibility.title": ("Credibility of the US commitment, by ally", "同盟国別の米国の拡大抑止の信頼性"),
    "fig.credibility.y": ("credibility (median, 10-90 % band)", "信頼性（中央値、10〜90％帯）"),
    "fig.warheads.title": ("Nuclear warheads", "核弾頭数"),
    "fig.warheads.y": ("warheads (median, 10-90 % band)", "核弾頭数（中央値、10〜90％帯）"),
    "fig.crises.title": ("War and nuclear use by theatre", "戦域別の戦争と核使用"),
    "fig.crises.y": ("share of runs, cumulative (90 % interval)", "累積のシミュレーション割合（90％区間）"),
    "fig.crises.war": ("war", "戦争"),
    "fig.crises.use": ("nuclear use", "核使用"),
    "fig.rungs.title": ("Crises by the highest rung reached, {start}-{horizon}", "到達した最高段階別の危機（{start}〜{horizon}年）"),
    "fig.rungs.x": ("share of the theatre's crises", "戦域の危機に占める割合"),
    "fig.rungs.war": ("war (4+): {share}", "戦争（4以上）：{share}"),
    "fig.rungs.n": ("{n} crises", "危機{n}件"),
    "rung.1": ("1 rhetoric", "1 威嚇的言辞"),
    "rung.2": ("2 shows of force", "2 示威行動"),
    "rung.3": ("3 clashes", "3 衝突"),
    "rung.4": ("4 conventional war", "4 通常戦争"),
    "rung.5": ("5 nuclear threats and alerts", "5 核の威嚇・警戒態勢"),
    "rung.6": ("6 nuclear demonstration", "6 核の示威使用"),
    "rung.7": ("7 limited theatre nuclear use", "7 限定的な戦域核使用"),
    "rung.8": ("8 central war", "8 全面核戦争"),
    "fig.cascade.title": ("Cascade: who is armed after whom, by {year}", "連鎖：{year}年までに誰の後に誰が核保有するか"),
    "fig.cascade.x": ("armed first", "先に保有"),
    "fig.cascade.y": ("then armed", "後に保有"),
    "fig.cascade.note": ("cell: P(row armed by {year} | column armed before it); n: runs with the column armed",
                         "セル：列の国が先に保有した場合に行の国が{year}年までに保有する確率。n：列の国が保有したシミュレーション数"),
    "fig.compare.title": ("{b} minus {a}, paired (90 % interval)", "{b} − {a}：対応のある比較（90％区間）"),
    "fig.compare.x": ("difference (percentage points)", "差（パーセントポイント）"),
    "fig.worlds.title": ("{outcome} across worlds", "世界（理論）ごとの{outcome}"),
    "fig.worlds.x": ("share of runs (90 % interval)", "シミュレーションの割合（90％区間）"),
    "fig.caption": ("{scenario} · world {world} · {runs} runs · seed {seed}", "{scenario}・世界 {world}・{runs}回・シード {seed}"),
    # the exploration figures (interfaces/explore_figures.py)
    "xfig.sobol.st": ("ST (with interactions)", "ST（相互作用を含む）"),
    "xfig.sobol.s1": ("S1 (alone)", "S1（単独）"),
    "xfig.sobol.x": ("Sobol' index (share of the outcome's variance)", "ソボル指数（結果の分散に占める割合）"),
    "xfig.sobol.title": ("Sobol' indices: {outcome}", "ソボル指数：{outcome}"),
    "xfig.morris.x": ("mu* (mean |elementary effect|)", "μ*（要素効果の絶対値の平均）"),
    "xfig.morris.y": ("sigma (spread of effects)", "σ（効果のばらつき）"),
    "xfig.morris.title": ("Morris screening: {outcome}", "モリス法によるスクリーニング：{outcome}"),
    "xfig.prim.dims": ("{k} restricted dimension(s)", "制約次元数 {k}"),
    "xfig.prim.chosen": ("chosen box {box}", "選択した箱 {box}"),
    "xfig.prim.threshold": ("density threshold {v}", "密度の閾値 {v}"),
    "xfig.prim.x": ("coverage (share of cases of interest in the box)", "被覆率（対象ケースのうち箱に入る割合）"),
    "xfig.prim.y": ("density (share of the box that is of interest)", "密度（箱のうち対象ケースの割合）"),
    "xfig.prim.title": ("PRIM peeling trajectory", "PRIMの剥離軌跡"),
    "xfig.robust.x": ("share of experiments meeting every threshold", "全ての閾値を満たす実験の割合"),
    "xfig.robust.title": ("Policies by satisficing share", "満足化割合による政策の順位"),
    "xfig.robust.dark": (" (dark: best in every world)", "（濃色：全ての世界で最良）"),
    "rep.store.text": ("The exploration store {store}: {experiments} experiments of {runs} runs each ({method} design).",
                       "探索結果 {store}：{experiments}実験、各{runs}回（{method}計画）。"),
    "rep.store.sens": ("Which uncertain parameters drive {outcome}", "{outcome}を左右する不確実なパラメータ"),
    "rep.store.rank": ("Which policy holds up across the experiments", "実験全体で持ちこたえる政策"),
    "rep.col.parameter": ("parameter", "パラメータ"),
    "rep.col.policy": ("policy", "政策"),
    "rep.col.share": ("satisficing share", "満足化割合"),
    # umbrella compare's text (interfaces/text.py)
    "cmp.pursue": ("{actor}: has started a weapons programme", "{actor}：核兵器開発を開始"),
    "cmp.arsenal": ("{actor}: has nuclear weapons", "{actor}：核兵器を保有"),
    "cmp.npt": ("NPT has collapsed", "NPT体制が崩壊"),
    "cmp.cred": ("US credibility as seen by {actor}", "{actor}から見た米国の信頼性"),
    "cmp.use": ("A nuclear weapon has been used", "核兵器が使用された"),
    "cmp.war": ("War in {theatre}", "{theatre}で戦争"),
    "cmp.warheads": ("{actor}: warheads", "{actor}：核弾頭数"),
    "cmp.accommodates": ("South Korea accommodates China", "韓国が中国に宥和"),
    "cmp.base_access": ("Japan's base access at risk in a Korean war (index)", "朝鮮半島有事での日本の基地アクセスのリスク（指数）"),
    "cmp.theatre.korea": ("Korea", "朝鮮半島"),
    "cmp.theatre.taiwan": ("the Taiwan Strait", "台湾海峡"),
    "cmp.unit.pp": ("pp", "ポイント"),
    "cmp.unit.pts": ("pts", "点"),
    "cmp.unit.warheads": ("warheads", "発"),
    "cmp.head": ("{b} minus {a} (B minus A), on the same {runs} simulated futures (seed {seed})",
                 "{b} − {a}（B − A）、同じ{runs}通りのシミュレーション（シード {seed}）"),
    "cmp.worlds": ("worlds: {worlds}", "世界：{worlds}"),
    "cmp.world": ("world: {world}", "世界：{world}"),
    "cmp.legend.worlds": ("pp = percentage points of the runs; pts = credibility points (0-100); each cell: mean difference ± half of its 90% interval",
                          "ポイント＝シミュレーション割合の差（パーセントポイント）、点＝信頼性（0〜100）。各セル：平均差 ± 90％区間の半幅"),
    "cmp.legend.one": ("pp = percentage points of the runs; pts = credibility points (0-100); each cell: mean difference (90% interval)",
                       "ポイント＝シミュレーション割合の差（パーセントポイント）、点＝信頼性（0〜100）。各セル：平均差（90％区間）"),
    "cmp.outcome": ("outcome", "項目"),
    "cmp.by": ("by", "年まで"),
    "cmp.by_year": ("by {year}", "{year}年まで"),
    "cmp.across": ("across worlds", "世界間"),
    "cmp.to": ("to", "〜"),
    "cmp.v.none": ("no run differs", "差のある実行なし"),
    "cmp.v.up": ("robust: up", "頑健：増加"),
    "cmp.v.down": ("robust: down", "頑健：減少"),
    "cmp.v.depends": ("depends on theory", "理論次第"),
    "cmp.v.some": ("clear in some worlds only", "一部の世界でのみ明確"),
    "cmp.v.noise": ("not distinguishable", "区別できない"),
    "cmp.explain": ("robust: the 90% interval excludes zero in the same direction in every world; depends on theory: it excludes zero upwards in one world and downwards in another; clear in some worlds only: indistinguishable from zero in the others; not distinguishable: within noise everywhere.",
                    "頑健：90％区間が全ての世界で同じ向きにゼロを含まない。理論次第：ある世界では上向き、別の世界では下向きにゼロを含まない。一部の世界でのみ明確：他の世界ではゼロと区別できない。区別できない：全ての世界でノイズの範囲内。"),
    "cmp.note": ("note: {note}", "注：{note}"),
    # the dashboard (interfaces/dashboard)
    "dash.title": ("Umbrella: the nuclear umbrella in Northeast Asia", "Umbrella：北東アジアの核の傘"),
    "dash.lang": ("Language", "言語"),
    "dash.preset": ("Preset", "プリセット"),
    "dash.world": ("World (theory)", "世界（理論）"),
    "dash.runs": ("Runs", "実行回数"),
    "dash.levers": ("Levers (left at the data unless set)", "政策レバー（設定しなければデータどおり）"),
    "dash.shock.type": ("type", "種類"),
    "dash.shock.year": ("year", "年"),
    "dash.shock.target": ("target", "対象"),
    "dash.shock.value": ("value", "値"),
    "dash.shock.fields": ("other fields (YAML)", "その他の項目（YAML）"),
    "dash.shock.add": ("Add the shock", "ショックを追加"),
    "dash.shock.clear": ("Remove the added shocks", "追加したショックを削除"),
    "dash.levers.allies": ("Allies: South Korea, Japan, Taiwan", "同盟国：韓国・日本・台湾"),
    "dash.levers.global": ("The US, China and the DPRK", "米国・中国・北朝鮮"),
    "dash.data": ("(data)", "（データ）"),
    "dash.yaml": ("Scenario (YAML: edit, download or paste one back)", "シナリオ（YAML：編集・ダウンロード・貼り付け）"),
    "dash.run": ("Run", "実行"),
    "dash.download_yaml": ("Download YAML", "YAMLをダウンロード"),
    "dash.download_report": ("Download the report (HTML)", "レポートをダウンロード（HTML）"),
    "dash.ready": ("Ready: set the levers and press Run.", "準備完了：レバーを設定して「実行」を押す。"),
    "dash.done": ("{runs} runs in {seconds} s{cached}", "{runs}回を{seconds}秒で実行{cached}"),
    "dash.cached": (" (served from the cache)", "（キャッシュから）"),
    "dash.progress": ("{share} of {runs} runs, about {seconds} s left", "{runs}回のうち{share}、残り約{seconds}秒"),
    "dash.starting": ("starting…", "開始中…"),
    "dash.fig.credibility": ("Credibility", "信頼性"),
    "dash.fig.warheads": ("Warheads", "核弾頭"),
    "dash.fig.crises": ("War and nuclear use", "戦争と核使用"),
    "dash.fig.cascade": ("Cascade", "連鎖"),
    "dash.fig.none": ("nothing to show for this scenario", "このシナリオでは該当なし"),
    "dash.fig.before": ("press Run", "「実行」を押す"),
    "dash.error": ("Not run: {message}", "実行せず：{message}"),
    "dash.running": ("Running...", "実行中…"),
    "dash.tab.run": ("Run", "実行"),
    "dash.tab.compare": ("Compare", "比較"),
    "dash.tab.explain": ("Explain", "要因分析"),
    "dash.tab.map": ("Map", "地図"),
    "dash.tab.explore": ("Explore", "探索"),
    "dash.baseline": ("Baseline (A)", "基準（A）"),
    "dash.compare.worlds": ("in every world", "全ての世界で"),
    "dash.compare.run": ("Compare this scenario (B) with the baseline", "本シナリオ（B）を基準と比較"),
    "dash.explain.actor": ("Ally", "同盟国"),
    "dash.explain.event": ("Event", "事象"),
    "dash.explain.run": ("Explain", "要因分析を実行"),
    "dash.map.show": ("Show the exposure map of the start year", "開始年の脆弱性地図を表示"),
    "dash.store": ("Exploration store (a directory under {root})", "探索結果（{root} 以下のディレクトリ）"),
    "dash.store.none": ("Start the dashboard with --root DIR to open exploration stores.", "探索結果を開くには --root DIR を付けて起動する。"),
    "dash.store.open": ("Open", "開く"),
    # the command line's tables (umbrella run)
    "tab.status.title": ("{scenario} | world {world} | {runs} runs | seed {seed}", "{scenario}｜世界 {world}｜{runs}回｜シード {seed}"),
    "tab.status.caption": ("share of runs in which the state has reached at least the level by the year, with its 90 % interval below; ⚑ rare (1 to 9 runs)",
                           "各年までにその段階以上に達したシミュレーションの割合（下段は90％区間）。⚑は稀な結果（1〜9回）"),
    "tab.actor": ("actor", "国・地域"),
    "tab.level": ("level", "段階"),
    "tab.other.title": ("Credibility of the US commitment, median (p10-p90), warheads, the NPT and crises",
                        "米国の拡大抑止の信頼性（中央値、10〜90％）、核弾頭数、NPT、危機"),
    "tab.outcome": ("outcome", "項目"),
    "tab.credibility": ("credibility {actor}", "信頼性：{actor}"),
    "tab.warheads": ("warheads {actor}", "核弾頭数：{actor}"),
    "tab.npt_collapsed": ("NPT collapsed", "NPT体制の崩壊"),
    "tab.war": ("war: {theatre}", "戦争：{theatre}"),
    "tab.nuclear_use": ("nuclear use (any theatre)", "核使用（いずれかの戦域）"),
    # report
    "rep.title": ("Briefing: {scenario}", "ブリーフィング：{scenario}"),
    "rep.generated": ("Generated {date} by Umbrella {version}", "{date}、Umbrella {version} により作成"),
    "rep.question": ("The question", "問い"),
    "rep.question.text": ("What follows, from {start} to {horizon}, in this scenario: {title}?",
                          "{start}年から{horizon}年まで、このシナリオで何が起きるか：{title}"),
    "rep.headline": ("Headline outcomes", "主要な結果"),
    "rep.headline.note": ("Shares of {runs} simulated runs with 90 % Wilson intervals; warheads and credibility are medians with the 10-90 % range of the runs. ⚑ marks a rare outcome (1 to 9 runs): read its interval, not its point.",
                          "{runs}回のシミュレーションに占める割合と90％ウィルソン区間。核弾頭数と信頼性は中央値と10〜90％の範囲。⚑は稀な結果（1〜9回）：点推定ではなく区間を読むこと。"),
    "rep.col.outcome": ("outcome", "結果"),
    "rep.col.value": ("estimate", "推定値"),
    "rep.col.interval": ("interval", "区間"),
    "rep.col.a": ("A", "A"),
    "rep.col.b": ("B", "B"),
    "rep.col.diff": ("B − A (90 % interval)", "B − A（90％区間）"),
    "rep.col.robust": ("in every world", "全ての世界で"),
    "rep.figures": ("Key figures", "主要な図"),
    "rep.map": ("Exposure of US and allied bases", "米軍・同盟国の基地の脆弱性"),
    "rep.why": ("Why", "なぜそうなるか"),
    "rep.why.text": ("Attribution of {outcome}: each driver's share of the runs in which it happened that would not have without that driver (the explain command).",
                     "{outcome}の要因分析：各要因がなければ起きなかったシミュレーションの割合（explainコマンド）。"),
    "rep.why.driver": ("driver", "要因"),
    "rep.why.share": ("share of the outcome it explains", "説明する割合"),
    "rep.why.none": ("The outcome happens in too few runs to attribute.", "この結果は発生数が少なく、要因分析できない。"),
    "rep.compare": ("Comparison with {other}", "{other}との比較"),
    "rep.compare.text": ("B is this scenario, A is {other}, both on the same random numbers ({runs} runs each).",
                         "Bは本シナリオ、Aは{other}。同じ乱数で比較（各{runs}回）。"),
    "rep.worlds": ("What holds in every world, and what depends on the theory", "全ての世界で成り立つこと、理論次第のこと"),
    "rep.worlds.text": ("The same scenario in each bundled world (a world is one expert theory's parameter set). An outcome holds in every world when the worlds' estimates lie within 10 percentage points of each other (medians: within 20 %); otherwise it depends on the theory.",
                        "同じシナリオを各世界（専門家の理論ごとのパラメータ集合）で実行した結果。各世界の推定値の差が10ポイント以内（中央値は20％以内）なら「全世界で成立」、それ以外は「理論次第」。"),
    "rep.worlds.robust": ("holds in every world", "全世界で成立"),
    "rep.worlds.depends": ("depends on the theory", "理論次第"),
    "rep.worlds.spread": ("range across worlds", "世界間の幅"),
    "rep.store": ("Exploration results", "探索結果"),
    "rep.assumptions": ("Assumptions and sources", "前提と出典"),
    "rep.assumptions.text": ("The outputs follow from stated assumptions: the model's equations (docs/model.md), the world's parameters and the bundled data, each with its source. Policy-level modelling only: statuses, probabilities, counts and distances.",
                             "出力は明示された前提から導かれる：モデルの方程式（docs/model.md）、世界のパラメータ、出典付きの同梱データ。政策レベルのモデル化のみ（地位、確率、数、距離）。"),
    "rep.levers": ("Levers set by the scenario", "シナリオが設定する政策レバー"),
    "rep.levers.none": ("none: every lever at the data", "なし：全てのレバーはデータどおり"),
    "rep.shocks": ("Dated shocks", "日付付きのショック"),
    "rep.sources": ("Sources of the data", "データの出典"),
    "rep.manifest": ("Reproduce this briefing", "このブリーフィングの再現"),
    "rep.manifest.text": ("Run the command below with the same code and data versions to get the same numbers.",
                          "同じコードとデータのバージョンで下のコマンドを実行すると、同じ数値が得られる。"),
    "rep.m.scenario": ("scenario", "シナリオ"),
    "rep.m.world": ("world", "世界"),
    "rep.m.seed": ("seed", "シード"),
    "rep.m.runs": ("runs", "回数"),
    "rep.m.years": ("years", "期間"),
    "rep.m.code": ("code version", "コードのバージョン"),
    "rep.m.data": ("data version", "データのバージョン"),
    "rep.m.command": ("command", "コマンド"),
    "rep.rare": ("rare outcome", "稀な結果"),
    "rep.yes": ("yes", "はい"),
    "rep.no": ("no", "いいえ"),
    "rep.na": ("n/a", "該当なし"),
}

TEXT: dict[str, dict[str, str]] = {lang: {k: v[i] for k, v in _ROWS.items()} for i, lang in enumerate(LANGS)}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InputError("--lang", lang, " or ".join(LANGS))
    return lang


def t(key: str, lang: str, **fmt) -> str:
    """The label `key` in `lang`, formatted with `fmt`."""
    check_lang(lang)
    try:
        s = TEXT[lang][key]
    except KeyError:
        raise KeyError(f"i18n: no label {key!r}") from None
    return s.format(**fmt) if fmt else s


@functools.cache
def _actor_names() -> dict[str, tuple[str, str]]:
    from umbrella.data import load_table
    tab = load_table("actors")
    return {r.iso3: (str(r.name_en), str(r.name_ja)) for r in tab.itertuples()}


def actor(code: str, lang: str) -> str:
    """An actor's short name (actors.csv), or the code itself for an unknown one."""
    names = _actor_names().get(code)
    return names[LANGS.index(check_lang(lang))] if names else code


def theatre(tid: str, lang: str) -> str:
    return t(f"theatre.{tid}", lang)


def pair(label: str, lang: str) -> tuple[str, str]:
    """'FRA->POL' -> (patron name, client name)."""
    a, _, b = label.partition("->")
    return actor(a, lang), actor(b, lang)


def headline_label(name: str, lang: str) -> str:
    """The label of an analysis.headlines name (`KOR.pursue.2050`, `warheads.PRK.2035`, ...)."""
    p = name.split(".")
    if p[0] == "warheads":
        return t("outcome.warheads", lang, actor=actor(p[1], lang), year=p[2])
    if p[0] == "credibility":
        if "->" in p[1]:
            pat, cli = pair(p[1], lang)
            return t("outcome.credibility_pair", lang, patron=pat, actor=cli, year=p[2])
        return t("outcome.credibility", lang, actor=actor(p[1], lang), year=p[2])
    if p[0] == "accommodating":
        return t("outcome.accommodating", lang, actor=actor(p[1], lang), year=p[2])
    if p[0] == "nuclear_use" and p[1] == "any":
        return t("outcome.nuclear_use_any", lang, year=p[2])
    if p[0] in ("war", "nuclear_use"):
        return t(f"outcome.{p[0]}", lang, theatre=theatre(p[1], lang), year=p[2])
    if p[0] == "npt_collapse":
        return t("outcome.npt_collapse", lang, year=p[1])
    if p[0] == "ttw":
        return t("outcome.ttw", lang, actor=actor(p[1], lang))
    if len(p) == 3 and f"status.{p[1]}" in TEXT["en"]:
        return t("outcome.status", lang, actor=actor(p[0], lang), level=t(f"status.{p[1]}", lang), year=p[2])
    raise KeyError(f"i18n: no label for the headline {name!r}")


# --- the locale's formats (Babel) ---------------------------------------------------------------

_LOCALE = {"en": "en_GB", "ja": "ja_JP"}


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def pct(x: float | None, lang: str, digits: int = 1) -> str:
    """A share as a percentage in the locale's format; '–' for a missing value."""
    if _missing(x):
        return "–"
    from babel.numbers import format_percent
    return format_percent(x, locale=_LOCALE[check_lang(lang)], format="#,##0." + "0" * digits + "%"
                          if digits else "#,##0%")


def num(x: float | None, lang: str, digits: int = 0) -> str:
    """A number with the locale's grouping; '–' for a missing value."""
    if _missing(x):
        return "–"
    from babel.numbers import format_decimal
    fmt = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(x, locale=_LOCALE[check_lang(lang)], format=fmt)


def date(d: _dt.date, lang: str) -> str:
    from babel.dates import format_date
    return format_date(d, format="long", locale=_LOCALE[check_lang(lang)])
