"""The kernels' grouped arguments (numba reads a namedtuple of arrays as one argument).

    State   the per-run state carried from year to year (layout.py: XF_*, XI_*, PF_*, SF_*, SI_*)
    Static  what a run reads but never writes: per-run parameters P, static data, adjacency
            lists, schedules (per actor SCH, per year SCG, per pair SCP) and the pair tables
    Out     the per-run, per-year outputs the kernel writes
    Log     the event log (engine/log.py): year, actor, kind, hazard terms, count per run
"""

from collections import namedtuple

State = namedtuple("State", ["xf", "xi", "pf", "sf", "si"])
Static = namedtuple("Static", ["P", "D", "G", "GW", "SCH", "SCG", "pair_pat", "pair_cli", "pair_kind",
                               "align_idx", "SCP"])
Out = namedtuple("Out", ["status", "reached", "covert", "warheads", "opinion", "posture", "credibility",
                         "npt_strength", "npt_collapsed", "us_admin", "rok_camp", "order"])
Log = namedtuple("Log", ["year", "actor", "kind", "terms", "n"])
