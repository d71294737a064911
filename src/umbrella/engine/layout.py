"""Index constants shared by the engine's kernels (numba reads module globals as constants).

State is held in a few arrays with the run axis first:
  xf[run, actor, XF_*]  per-actor floats      xi[run, actor, XI_*]  per-actor integers
  pf[run, pair, PF_*]   per-pair floats       sf[run, SF_*] / si[run, SI_*]  system values
Static data: D[actor, D_*]; schedules (shocks resolved to years): SCH[year, actor, SC_*],
SCG[year, SG_*]. Per-run parameters: P[run, k] with k from `umbrella.engine.params.PARAMS`.
"""

# nuclear status levels
NONE, EXPLORE, PURSUE, ARSENAL = 0, 1, 2, 3
LEVEL_NAMES = ("none", "explore", "pursue", "arsenal")

# alignment postures
BALANCING, HEDGING, ACCOMMODATING = 0, 1, 2
POSTURE_NAMES = ("balancing", "hedging", "accommodating")

# US administration type and ROK camp
ENGAGED, AMERICA_FIRST = 0, 1
PROGRESSIVE, CONSERVATIVE = 0, 1

# --- per-actor float state xf
XF_GDP = 0          # US$ bn, current
XF_BURDEN = 1       # defence spending / GDP
XF_MILEX = 2        # US$ bn
XF_THREAT = 3       # conventional threat ln(1 + sum rival milex / own milex)
XF_WARHEADS = 4
XF_OPINION = 5      # logit of public support for own nuclear weapons (NaN: not polled)
XF_PROGRESS = 6     # breakout progress toward a first weapon, 0..1
XF_TTW = 7          # time to weapon (years) drawn at programme onset
XF_TROOPS = 8       # US troops hosted
XF_BUILD = 9        # target growth per year of a new arsenal
XF_UMBRELLA = 10    # max over patrons of credibility (0 if no patron)
XF_CASCADE = 11     # neighbour exposure E_i
XF_DW = 12          # last year's change in warheads (rivals react to it)
XF_UMB0 = 13        # umbrella at the start year
XF_LOGIT_UMB0 = 14  # its log-odds (opinion's reference point)
XF_CRISIS_SIG = 15  # log-odds bad news from last year's crises (engine/crises.py), read once
XF_COERCION_MEM = 16  # memory of coercion: m <- align.coercion_memory m + coerced (alignment, 5.8)
N_XF = 17

# --- per-actor integer state xi
XI_STATUS = 0
XI_YEARS = 1        # years in current status
XI_REACHED = 2      # highest status ever reached in the run (for "at least" outcomes)
XI_COVERT = 3       # programme currently covert
XI_EVER_COVERT = 4
XI_DETECTED = 5     # covert programme detected
XI_NPT = 6          # NPT party
XI_POSTURE = 7
XI_CONSULT = 8      # consultation level 0..3
XI_SHARING = 9      # nuclear-sharing level 0..4
XI_FORWARD = 10     # US weapons on territory
XI_PERMIT = 11      # patron accepts own deterrent
XI_COERCED = 12     # under economic coercion this year
XI_SANCTIONED = 13  # sanctions on a detected programme
XI_HNS = 14         # faces a host-nation-support ultimatum this year
N_XI = 15

# --- per-pair float state pf
PF_CRED = 0         # client's belief that the patron is resolute
PF_ANCHOR0 = 1      # intercept of the structural anchor, calibrated at the start year
PF_SIGNAL = 2       # summed log-likelihood ratio of this year's signals (bad news > 0)
PF_CRED_LAG2 = 3    # credibility two years ago (rupture speed)
PF_CRED_LAG1 = 4
PF_ADV0 = 5         # adversaries' warheads at the start year
PF_CONSULT = 6      # a non-US patron's consultation level with the client (the US's is XI_CONSULT)
PF_FORWARD = 7      # a non-US patron's weapons forward-based on the client's territory (0/1)
N_PF = 8

# --- per-pair schedules SCP[t, pair, SP_*] (non-US patrons' arrangements; NaN = nothing)
SP_CONSULT = 0
SP_FORWARD = 1
N_SP = 2

# --- system floats sf / ints si
SF_NPT = 0          # regime strength N_t
SF_ORDER = 1        # regional-order index (1 = China's priorities)
SF_PRK_FISSILE = 2  # DPRK weapons-equivalent fissile capacity
SF_PRK_FISSILE_RATE = 3
N_SF = 4
SI_ADMIN = 0
SI_CAMP = 1
SI_COLLAPSED = 2
SI_PROVOCATION = 3  # DPRK strategic provocation this year
SI_NEW_ARSENALS = 4
SI_WITHDRAWALS = 5
SI_KEY_WITHDRAWALS = 6
N_SI = 7

# --- static actor data D
D_LATENCY = 0
D_ENR = 1
D_SEP_PU = 2
D_ELEC = 3
D_MAJOR = 4
D_REGIONAL = 5
D_NWS = 6
D_GROWTH = 7
D_US_CLIENT = 8     # has a US commitment (for sanctions exposure)
D_POLLED = 9
D_OPINION0 = 10     # start logit support
D_ALIGNER = 11      # alignment modelled (faces China with a US commitment)
D_KEY_NPT = 12      # withdrawal would be regime-breaking (F1:L41)
D_IS_PRK = 13
D_IS_CHN = 14
D_IS_KOR = 15
D_BURDEN0 = 16
D_IS_RUS = 17
D_FACES_PRK = 18    # the DPRK is a rival (opinion's provocation and moratorium terms)
D_LOGPOW0 = 19     # ln(China's GDP / own GDP) at the start year
D_HOME_REACH = 20  # geography: the actor's missiles can reach the US homeland (CONUS), 0/1
D_EXPO_CHN = 21    # geography: share of China's theatre nuclear-capable missiles in range of the actor
D_EXPO_PRK = 22    #   ... of the DPRK's
D_EXPO_RUS = 23    #   ... of Russia's (1: no bundled data, unweighted)
D_HOME_REACH0 = 24 # the homeland reach of the data (capability levers at 1): the calibration's
D_THEATRE = 25     # local defender of a theatre the crisis layer plays: preventive strikes come in its wars
D_W0 = 26         # start-year warheads (the target of an arsenal without a doctrine path that answers allies)
D_SYSTEM = 27     # alliance system (index into data.catalog.ALLIANCE_SYSTEMS): US signals spill fully within it
D_TTW_PUB = 28    # published estimate of the time from decision to a first weapon, median years (0: none)
D_TTW_SD = 29     # its log-s.d. (the published range as +/- 2 s.d.)
D_RED_LINE = 30   # an adversary has declared a red line against the actor's programme (red_lines.csv)
N_D = 31

# --- adjacency lists G[actor, G_*, k] (-1 ends a list)
G_RIV = 0           # rivals
G_NB = 1            # regional peers (cascade exposure), weights in GW
G_RIV_NB = 2        # rivals or peers
G_BUILDUP = 3       # allies whose arsenal the actor answers with a build-up (adversary_reactions.csv)
G_COERCE = 4        # allies the actor coerces while their programme is known or they are armed
N_G = 5

# --- scratch values saved before this year's shocks (per actor)
B_TROOPS = 0
B_CONSULT = 1
B_SHARING = 2
B_FORWARD = 3
B_NEW_W = 4         # this year's warheads, before all actors' updates are applied
B_STATUS0 = 5       # status at the start of the proliferation step (simultaneous moves)
B_REACH = 6         # this year's homeland reach of an armed actor's arsenal, in [0, 1]
B_SYSTEM_SIGNAL = 7  # row s (an alliance system, D_SYSTEM): this year's summed own signals of its US clients
N_B = 8

# --- per-year, per-actor schedule SCH (NaN = nothing scheduled)
SC_TROOPS = 0
SC_CONSULT = 1
SC_SHARING = 2
SC_FORWARD = 3
SC_PERMIT = 4
SC_PROGRAMME = 5    # 1 explore, 2 pursue
SC_COVERT = 6
SC_NPT_WITHDRAW = 7
SC_COERCION = 8
SC_RHETORIC = 9     # summed tone: -1 per negative statement, +1 per positive
SC_HNS = 10
SC_BURDEN_TARGET = 11  # defence-burden target path for the year
SC_DOCTRINE = 12    # warhead doctrine target for the year (China's path; a DPRK freeze)
SC_DEAL = 13        # weight of the bad news an uncoordinated DPRK deal sends the client (A9)
N_SC = 14

# --- per-year global schedule SCG
SG_ADMIN = 0
SG_CAMP = 1
SG_CRISIS = 2       # +1 patron stood firm, -1 backed down (USA)
SG_TEST = 3         # DPRK nuclear test forced
SG_ELECTION_US = 4  # 1 in a year a new US administration takes office
SG_ELECTION_KOR = 5
SG_REVCON = 6
SG_MORATORIUM = 7
SG_HNS_MODE = 8     # 1: burden sharing by HNS transfers (levers.burden_sharing = hns_transfer)
SG_THEATRE = 9      # US theatre nuclear forces in the region relative to the data: -1 low, 0 medium, +1 high
N_SG = 10

# --- event log
EV_EXPLORE = 0      # 0 -> 1
EV_PURSUE = 1       # 1 -> 2
EV_ACQUIRE = 2      # 2 -> 3
EV_ABANDON_EXPLORE = 3   # 1 -> 0
EV_ABANDON_PURSUE = 4    # 2 -> 0
EV_PREVENTIVE = 5   # programme set back by a preventive strike (2 -> 1)
EV_NPT_WITHDRAW = 6
EV_COVERT_DETECTED = 7
EV_NPT_COLLAPSE = 8
EV_FORCED = 9       # status set by a scenario shock
EV_CRISIS = 10      # a crisis (actor: the theatre's first local defender; engine/crises.py)
EV_WAR = 11         # the crisis reached conventional war, rung >= 4 (actor: the same)
EV_NUCLEAR_USE = 12  # a nuclear detonation (actor: the first user)
EV_US_STATEMENT = 13  # an America-first statement heard by every US client (actor: -1, system)
EV_HNS_ULTIMATUM = 14  # a host-nation-support ultimatum, drawn or scheduled (actor: the client)
EV_US_REASSURANCE = 15  # an engaged administration's reaffirmation heard by every US client (actor: -1)
EV_COERCED = 16     # an adversary's coercion of a known programme or arsenal (actor: the target)
EVENT_NAMES = (
    "explore", "pursue", "acquire", "abandon_explore", "abandon_pursue", "preventive_strike",
    "npt_withdrawal", "covert_detected", "npt_collapse", "forced_by_scenario", "crisis", "war",
    "nuclear_use", "us_statement", "hns_ultimatum", "us_reassurance", "coerced",
)
MAX_EVENTS = 192   # crisis events and US signals included; overflow is counted (summary events_overflow_runs)

# hazard-term slots recorded with each transition (contributions to the linear predictor)
T_BASE = 0
T_LATENCY = 1
T_THREAT = 2
T_RIVAL = 3
T_UMBRELLA = 4
T_NPT = 5
T_STATUS = 6        # major/regional power
T_OPINION = 7
T_SANCTIONS = 8
T_CASCADE = 9
T_RED_LINE = 10     # an adversary's declared red line (pursue stage)
N_TERMS = 11
TERM_NAMES = (
    "baseline", "latency", "conventional_threat", "rival_programme", "umbrella", "npt",
    "power_status", "public_opinion", "sanctions", "cascade", "red_line",
)
