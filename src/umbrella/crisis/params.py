"""Parameters of the crisis layer: plain data, {name: (value, low, high, source)}.

Every number the crisis layer uses is here, named, with a range and a source or the word
"assumption". A world file may override any of them by defining a parameter of the same name
(`values(world)`), and a caller may pass overrides (`values(world, {"crisis.lambda": 2.0})`).
Utilities are in units of the patron's stake in its ally (`crisis.<theatre>.stake_patron` = 1).
Seed references (F2:L17 ...) are file:line in the shared seeds (EXTRACTION.md); literature
sections are those of the shared reference pack (literature.md). docs/crisis.md prints the table.

The theatre numbers are `crisis.<theatre>.<name>` for theatre ids korea, taiwan,
east-china-sea, europe.
"""

from __future__ import annotations

from collections.abc import Mapping

from umbrella.errors import InputError

ASSUME = "assumption (no published estimate; documented in docs/crisis.md)"

PARAMS: dict[str, tuple[float, float, float, str]] = {
    # --- choice and micro-steps ------------------------------------------------------------
    "crisis.lambda": (2.0, 0.5, 4.0,
                      "logit QRE precision (McKelvey & Palfrey 1995; literature §4.4); value calibrated so that "
                      "P(nuclear use | Korean war) is 'likely' (A8) while the implied annual rate stays inside "
                      "literature §4.5's envelope (docs/crisis.md)"),
    "crisis.steps": (12, 6, 24, f"micro-steps per crisis (literature §8.4g leaves it open); {ASSUME}"),
    "crisis.onset_credibility": (0.5, 0.0, 1.0,
                                 "beta: the annual model's onset rate is onset * exp(-beta (logit C - logit C0)) "
                                 "in the local defender's credibility C of the US commitment (C0 at the start "
                                 "year): a record of backing down invites challenges (Huth 1988; Huth & Russett "
                                 f"1984; literature §2.4); {ASSUME}; 0 switches the link off"),
    "crisis.signal_rung": (4, 2, 6,
                           "a crisis's credibility signal is weighted min(1, highest rung / this): a "
                           "confrontation settled at a low rung says less about resolve than a war (Huth "
                           f"1988 on past behaviour in crises, literature §2.4); {ASSUME}"),
    # --- loss of control (Powell's r(k)) ----------------------------------------------------
    "crisis.r_top": (0.15, 0.05, 0.30,
                     "r(7): chance per micro-step that limited theatre nuclear war slips into central war "
                     f"(Schelling's threat that leaves something to chance, literature §2.1-2.2); {ASSUME}"),
    "crisis.r_slope": (1.75, 1.0, 2.5,
                       "r(k) = r_top exp(-r_slope (7 - k)): r increasing in k (Powell 2015, literature §2.2); "
                       f"{ASSUME}"),
    "crisis.fs_stability": (0.95, 0.5, 1.0,
                            "r(7) = r_top (1 - fs_stability phi_C phi_D): the slide from limited theatre use "
                            "into central war is driven by the reciprocal fear of surprise attack and fades "
                            "when both strategic forces are survivable (first-strike stability, Kent & Thaler "
                            "1989, literature §4.3; C4.13: China's strategic modernisation makes a strategic "
                            f"exchange less likely); {ASSUME}; 1 - value = the residual slide"),
    # --- audience costs (Fearon 1994) --------------------------------------------------------
    "crisis.audience_democracy": (0.10, 0.05, 0.30,
                                  "a per rung for a democracy (Fearon 1994; Tomz 2007; literature §2.3); "
                                  f"magnitude {ASSUME}"),
    "crisis.audience_autocracy": (0.03, 0.0, 0.10,
                                  "a per rung for an autocracy: lower than a democracy's (Fearon 1994, "
                                  f"literature §2.3); magnitude {ASSUME}"),
    "crisis.coalition_weight": (0.5, 0.25, 1.0,
                                "omega: the weight of the local defender's payoff in the defender side's "
                                f"utility, the patron deciding (the patron's own payoff has weight 1); {ASSUME}"),
    # --- thresholds (Kahn's named barriers, literature §4.1, §8.4g) --------------------------
    "crisis.threshold_war": (1.0, 0.5, 3.0,
                             "cost to the side that crosses into conventional war (rung 3 -> 4), Kahn's named "
                             f"threshold (literature §4.1); {ASSUME}; sets P(war | crisis) (docs/crisis.md)"),
    "crisis.taboo": (1.0, 0.25, 3.0,
                     "C_taboo: cost to the first user of crossing the nuclear threshold (5 -> 6); modest and "
                     "scenario-dependent, not prohibitive (Sagan & Valentino 2017, literature §4.5); "
                     f"magnitude {ASSUME}"),
    # --- balances ----------------------------------------------------------------------------
    "crisis.theta_6": (0.4, 0.2, 0.6,
                       "weight of the theatre nuclear balance in the challenger's win probability at rung 6 "
                       f"(nuclear superiority as an enabler of coercion: Kroenig 2013, literature §2.4; F4:L69-71); "
                       f"{ASSUME}"),
    "crisis.theta_7": (0.7, 0.4, 0.9,
                       f"the same at rung 7 (limited theatre use); {ASSUME}"),
    "crisis.theta_8": (0.6, 0.3, 0.9,
                       f"weight of the strategic balance at rung 8 (central war); {ASSUME}"),
    "crisis.theatre_share_PRK": (1.0, 0.8, 1.0,
                                 "share of the DPRK's warheads for theatre use: all but a few ICBM warheads "
                                 "(F3:L24-26: early theatre use, ICBMs held to deter the US)"),
    "crisis.theatre_share_CHN": (0.25, 0.15, 0.4,
                                 "share of China's warheads on theatre systems (DF-26 dual-capable IRBMs, H-6N); "
                                 "missiles_china_dprk.csv lists 500 dual IRBMs; the warhead share is "
                                 f"{ASSUME}; F4:L65: China's theatre forces are 'large and varied'"),
    "crisis.theatre_share_RUS": (0.35, 0.25, 0.45,
                                 "share of Russia's stockpile that is non-strategic (FAS Nuclear Notebook 2024: "
                                 "~1,500 of ~4,300; standard reference, not bundled)"),
    "crisis.us_theatre_low": (50, 20, 80,
                              "US theatre nuclear weapons usable in the region at lever 'low': low-yield SLBM "
                              "warheads only (W76-2; FAS 2024, standard reference, not bundled); count "
                              f"{ASSUME}"),
    "crisis.us_theatre_medium": (100, 60, 150,
                                 "at 'medium' (the 2025 default): W76-2 plus B61 on dual-capable aircraft and "
                                 "bombers (FAS 2024: ~200 non-strategic B61, ~100 in Europe); count "
                                 f"{ASSUME}; F4:L65: the US is 'extremely inferior' in the theatre"),
    "crisis.us_theatre_high": (250, 150, 400,
                               "at 'high': plus sea-launched cruise missiles and INF-range systems (F4:L83, "
                               f"C4.19); count {ASSUME}"),
    "crisis.sharing_step": (0.15, 0.05, 0.3,
                            "each rung of the local defender's nuclear sharing ladder (none .. slcm) adds this "
                            "share to the defender's theatre force (F4:L85-89; F0:L191-197); "
                            f"{ASSUME}"),
    "crisis.forward_step": (0.3, 0.1, 0.6,
                            "forward-based US theatre weapons on the local defender's territory add this share "
                            "(F4:L83; Fuhrmann & Sechser 2014 find no deterrent effect, literature §2.4: kept "
                            f"small); {ASSUME}"),
    # --- use or lose (literature §4.3) -------------------------------------------------------
    "crisis.dl_gain": (5.0, 2.0, 10.0,
                       "Delta_DL: damage-limitation value of striking before being disarmed, in stake units "
                       f"(Schelling's reciprocal fear of surprise attack, literature §4.3); {ASSUME}"),
    "crisis.pi_4": (0.1, 0.05, 0.2,
                    "pi(4): chance of being disarmed or decapitated per micro-step at rung 4 (literature "
                    f"§4.3: Pr(being struck | rung)); {ASSUME}"),
    "crisis.pi_step": (0.1, 0.05, 0.15,
                       f"pi(k) = min(1, (pi_4 + pi_step (k - 4)) * factors): pi rises with k; {ASSUME}"),
    "crisis.decap_pi_factor": (2.0, 1.25, 3.0,
                               "factor on pi for the DPRK under an allied decapitation doctrine (F3:L28, C3.5: "
                               f"use-or-lose); {ASSUME}"),
    "crisis.nsa_pi_factor": (0.7, 0.5, 0.9,
                             "factor on pi for the DPRK under a US negative security assurance (F3:L46); "
                             f"{ASSUME}"),
    "crisis.surv_half": (300, 100, 600,
                         "phi = 1 - exp(-W / surv_half): survivability rises with arsenal size (Bennett 2017, "
                         f"literature §4.3: with '30-plus' weapons early use is considered); {ASSUME}"),
    "crisis.decap_gain": (2.0, 0.5, 4.0,
                          "the allies' damage-limitation payoff for escalating under a decapitation doctrine, "
                          f"times (1 - phi) of the DPRK (F3:L28); {ASSUME}"),
    "crisis.counterforce_gain": (1.0, 0.0, 2.0,
                                 "the patron's damage-limitation payoff for escalating from rung 7 against any "
                                 "nuclear challenger (US counterforce targeting), times (1 - phi) (C4.13: a "
                                 f"survivable Chinese force removes it); {ASSUME}"),
    "crisis.pd_cut": (0.7, 0.4, 0.9,
                      "share of the allies' decapitation payoff lost when the DPRK has pre-delegated launch "
                      f"authority (decapitation no longer stops a launch; F3:L28-32); {ASSUME}"),
    "crisis.pd_hazard": (0.05, 0.02, 0.15,
                         "kappa: pre-delegated launch hazard per micro-step = kappa * pi_DPRK(k) at rungs >= 5 "
                         "(the 2022 law authorises use if leadership or C2 is threatened: inadvertent escalation, "
                         f"F3:L28, C3.5); {ASSUME}"),
    # --- declaratory policy and decoupling -----------------------------------------------
    "crisis.mr_cost": (3.0, 1.0, 6.0,
                       "the DPRK's expected cost of first use under a massive-retaliation pledge at full "
                       f"credibility (Kelly's option B, F2:L3, L15-19); {ASSUME}"),
    "crisis.ambiguous_share": (0.3, 0.1, 0.6,
                               "share of that cost under the ambiguous policy ('the regime would not survive', "
                               f"F2:L8); {ASSUME}"),
    "crisis.decl_decoupling": (1.0, 0.5, 1.0,
                               "credibility of US declaratory policy = 1 - decl_decoupling * the local "
                               "defender's decoupling index (F2:L19, F3:L38: decoupling)"),
    "crisis.deal_cap_factor": (0.5, 0.0, 0.8,
                               "factor on the DPRK's ICBM (MRBM) capability under the deal's ICBM (MRBM) cap "
                               f"(F3:L42-44); {ASSUME}"),
    "crisis.host_dependence": (0.3, 0.1, 0.5,
                               "share of the defender's conventional win probability lost if the host (Japan) "
                               "denies US base access under MRBM coercion, at rungs >= 5 (F3:L40, C3.10); "
                               f"{ASSUME}"),
    "crisis.host_denial": (1.0, 0.5, 1.0,
                           "chance that the host denies base access when fully exposed (base-access index B = "
                           "1): denial = host_denial * B (F3:L40: Japanese experts fear MRBM coercion over base "
                           f"use); {ASSUME}"),
    "crisis.coord_cut": (0.5, 0.2, 0.8,
                         "share of the host's denial risk removed by high trilateral coordination (F3:L48-52, "
                         f"C3.14); {ASSUME}"),
    # --- costs (stake units) ------------------------------------------------------------------
    "crisis.shadow_4": (0.1, 0.0, 0.2,
                        "nuclear shadow: perceived chance that a war at rung 4 goes nuclear, weighting the "
                        "theatre nuclear damage a side would suffer (0 against a non-nuclear opponent; the "
                        f"stability-instability mechanism, Powell 2015, literature §2.2, §2.6); {ASSUME}"),
    "crisis.shadow_5": (0.15, 0.05, 0.3, f"the same at rung 5 (nuclear threats and alerts); {ASSUME}"),
    "crisis.shadow_6": (0.4, 0.2, 0.6, f"the same at rung 6 (after a demonstration); {ASSUME}"),
    "crisis.damage_half": (10, 3, 30,
                           "theatre nuclear damage saturates as 1 - exp(-W_T / damage_half) in the opponent's "
                           f"theatre warheads (a handful devastates a peninsula); {ASSUME}"),
    "crisis.theatre_dl": (0.25, 0.0, 1.0,
                          "weight of the theatre balance in the theatre nuclear damage each side suffers: "
                          "N scales by (1 - dl + 2 dl * the opponent's share of theatre warheads): theatre "
                          "superiority limits damage (F4:L69-71, C4.14: the escalation-ladder imbalance); "
                          f"{ASSUME}"),
    "crisis.nuclear_damage": (4.0, 2.0, 8.0,
                              f"theatre nuclear damage at rung 7, each side, stake units; {ASSUME}"),
    "crisis.strategic_damage": (10.0, 5.0, 20.0,
                                "catastrophic damage at rung 8 to the challenger and to the local defender; to "
                                "the patron's homeland times the challenger's homeland-reach index (decoupling); "
                                f"{ASSUME}"),
    "crisis.assured_destruction": (400, 200, 800,
                                   "warheads at which the patron's homeland loss reaches 63% of its maximum: "
                                   "McNamara's assured-destruction criterion, ~400 one-megaton equivalents "
                                   "(Enthoven & Smith 1971, standard reference, not bundled)"),
    "crisis.war_cost_challenger": (0.5, 0.2, 1.0, f"conventional war cost to the challenger at 4-8; {ASSUME}"),
    "crisis.war_cost_defender": (2.0, 1.0, 3.0,
                                 "conventional war cost to the defender side at 4-8 (the ally's territory is "
                                 f"the battlefield); {ASSUME}"),
}

THEATRE_PARAMS: dict[str, dict[str, tuple[float, float, float, str]]] = {
    "korea": {
        "p_defender": (0.9, 0.8, 0.97,
                       "Pr(the allies win a conventional war): DPRK conventional inferiority (F2:L17, C2.10; "
                       f"F0:L23: obsolete equipment, low training); number {ASSUME}"),
        "stake_challenger": (1.0, 0.5, 2.0, f"the DPRK's stake in the war's aims; {ASSUME}"),
        "stake_local": (2.0, 1.0, 3.0, f"the ROK's stake (its territory and sovereignty); {ASSUME}"),
        "stake_patron": (1.0, 1.0, 1.0, "the patron's stake in the ally: the unit of utility"),
        "defeat_challenger": (8.0, 4.0, 10.0,
                              "L: the DPRK's cost of losing a war: regime survival, nearly as bad as a nuclear "
                              "exchange (F2:L17-18, C2.11: regime fragility); value relative to "
                              "crisis.strategic_damage = 10"),
        "fragility": (0.85, 0.5, 0.95,
                      "chi: chance that backing down in a war still topples the regime (F2:L18: war stress "
                      f"alone can topple a fragile regime, the Russian Empire in 1917); {ASSUME}"),
        "defeat_defender": (0.0, 0.0, 1.0, f"the defender side's extra cost of losing (beyond its stake); {ASSUME}"),
        "onset": (0.12, 0.06, 0.2,
                  "annual crisis onset: about 9 militarised Korean crises 1953-2024 (Pueblo 1968, EC-121 1969, "
                  "Panmunjom 1976, the nuclear crises of 1993-94 and 2002-03, 2006, Cheonan/Yeonpyeong 2010, "
                  "2013, 2017; standard chronologies such as ICB, not bundled): 9 / 72 yr; count an assumption"),
    },
    "taiwan": {
        "p_defender": (0.6, 0.35, 0.8,
                       "Pr(Taiwan and the US defeat an invasion conventionally): wargames find most invasions "
                       "fail at high cost (CSIS 2023, 24 iterations; standard reference, not bundled); number "
                       f"{ASSUME}"),
        "stake_challenger": (3.0, 1.5, 4.0, f"China's stake: a 'core interest'; {ASSUME}"),
        "stake_local": (3.0, 2.0, 4.0, f"Taiwan's stake (its survival as a polity); {ASSUME}"),
        "stake_patron": (1.0, 1.0, 1.0, "the unit of utility"),
        "defeat_challenger": (3.0, 1.0, 6.0, f"the CCP's cost of a failed invasion (legitimacy); {ASSUME}"),
        "fragility": (0.2, 0.0, 0.5, f"chance that backing down topples the leadership; {ASSUME}"),
        "defeat_defender": (0.0, 0.0, 1.0, f"{ASSUME}"),
        "onset": (0.055, 0.03, 0.1,
                  "Taiwan Strait crises 1954-55, 1958, 1995-96, 2022: 4 in 1950-2024 (standard reference, not "
                  "bundled); count an assumption"),
    },
    "east-china-sea": {
        "p_defender": (0.65, 0.45, 0.85,
                       "Pr(Japan and the US hold the islands): China's growing conventional edge over Japan "
                       f"(F0:L17-21) offset by the alliance; {ASSUME}"),
        "stake_challenger": (1.0, 0.5, 2.0, f"China's stake in the Senkaku/Diaoyu islands; {ASSUME}"),
        "stake_local": (1.5, 1.0, 3.0, f"Japan's stake; {ASSUME}"),
        "stake_patron": (1.0, 1.0, 1.0, "the unit of utility"),
        "defeat_challenger": (1.0, 0.5, 3.0, f"{ASSUME}"),
        "fragility": (0.1, 0.0, 0.3, f"{ASSUME}"),
        "defeat_defender": (0.0, 0.0, 1.0, f"{ASSUME}"),
        "onset": (0.04, 0.02, 0.08,
                  "Senkaku crises 2010 and 2012-13: 2 in 1972-2024 (standard reference, not bundled); count an "
                  "assumption"),
    },
    "europe": {
        "p_defender": (0.8, 0.6, 0.9,
                       "Pr(NATO wins a conventional war with Russia): NATO's aggregate conventional superiority "
                       f"(IISS Military Balance, standard reference, not bundled); number {ASSUME}"),
        "stake_challenger": (1.5, 0.5, 3.0, f"Russia's stake; {ASSUME}"),
        "stake_local": (2.0, 1.0, 3.0, f"the stake of the NATO ally attacked; {ASSUME}"),
        "stake_patron": (1.0, 1.0, 1.0, "the unit of utility"),
        "defeat_challenger": (3.0, 1.0, 6.0, f"the Kremlin's cost of a lost war with NATO; {ASSUME}"),
        "fragility": (0.2, 0.0, 0.5, f"{ASSUME}"),
        "defeat_defender": (0.0, 0.0, 1.0, f"{ASSUME}"),
        "onset": (0.065, 0.03, 0.1,
                  "Russia(USSR)-NATO crises: Berlin 1948-49, 1958-59, 1961, Crimea 2014, Ukraine 2021-22: 5 in "
                  "1946-2024 (standard reference, not bundled); count an assumption"),
    },
}


def table() -> dict[str, tuple[float, float, float, str]]:
    """Every parameter, theatre ones as `crisis.<theatre>.<name>`."""
    out = dict(PARAMS)
    for th, d in THEATRE_PARAMS.items():
        out.update({f"crisis.{th}.{k}": v for k, v in d.items()})
    return out


def values(world=None, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """{name: value}: the table's values, then a world's parameters of the same names, then
    `overrides` (unknown override names are an InputError)."""
    tab = table()
    out = {k: float(v[0]) for k, v in tab.items()}
    if world is not None:
        for k, p in world.parameters.items():
            if k in out:
                out[k] = float(p.value)
    for k, v in (overrides or {}).items():
        if k not in out:
            raise InputError("crisis parameter", k, ", ".join(sorted(out)), problem="is not a crisis parameter")
        out[k] = float(v)
    if out["crisis.lambda"] <= 0:
        raise InputError("crisis.lambda", out["crisis.lambda"], "a number > 0")
    if out["crisis.steps"] != int(out["crisis.steps"]) or not 1 <= out["crisis.steps"] <= 1000:
        raise InputError("crisis.steps", out["crisis.steps"], "an integer from 1 to 1000")
    return out
