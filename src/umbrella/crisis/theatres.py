"""The four crisis theatres: who fights whom, who hosts the patron's bases, and which base groups
of the geography layer (umbrella.geo.exposure.GROUPS) matter.

Each theatre has a challenger (side 0, moves first), a defender side (side 1) made of the local
defender(s) and the patron (the USA, which decides for the side: docs/crisis.md §2), and an
optional host of the patron's bases whose base access a nuclear-armed challenger can coerce.
Numbers (conventional balance, stakes, onset rate) are parameters `crisis.<id>.*` in params.py.

Decoupling clients (outputs `decoupling[CLIENT]`):
  * "homeland": the local defender(s): fear that the patron will not risk its homeland, from the
    challenger's homeland reach (docs/crisis.md §5);
  * "base_access": the host: fear of being coerced into denying the patron its bases, from the
    challenger's theatre missiles over the host's base groups in this theatre.
"""

from __future__ import annotations

from dataclasses import dataclass

from umbrella.errors import InputError


@dataclass(frozen=True)
class Theatre:
    id: str
    challenger: str
    local: tuple[str, ...]            # local defender(s); the first one names the theatre's ally
    patron: str
    host: str | None                  # host of the patron's bases (base-access decoupling)
    groups: tuple[str, ...]           # geography base groups that matter here
    democracy_challenger: bool = False
    title: str = ""
    allies: tuple[str, ...] = ()      # nuclear-armed allies whose forces count in part (crisis.allied_share)

    @property
    def host_groups(self) -> tuple[str, ...]:
        """The host's base groups among the theatre's groups (Japan's: Honshu, Kyushu, Okinawa)."""
        from umbrella.geo.exposure import JAPAN_GROUPS
        return tuple(g for g in self.groups if self.host == "JPN" and g in JAPAN_GROUPS)

    @property
    def actors(self) -> tuple[str, ...]:
        return (self.challenger, *self.local, self.patron) + ((self.host,) if self.host else ())


THEATRES: dict[str, Theatre] = {
    "korea": Theatre("korea", "PRK", ("KOR",), "USA", "JPN", ("ROK", "Honshu", "Kyushu", "Okinawa"),
                     title="DPRK vs ROK and US; Japan hosts US bases"),
    "taiwan": Theatre("taiwan", "CHN", ("TWN",), "USA", "JPN", ("Okinawa", "Kyushu", "Guam"),
                      title="China vs Taiwan and US; Japan hosts US bases"),
    "east-china-sea": Theatre("east-china-sea", "CHN", ("JPN",), "USA", None, ("Okinawa", "Kyushu"),
                              title="China vs Japan and US"),
    "europe": Theatre("europe", "RUS", ("POL", "DEU"), "USA", None, (),
                      title="Russia vs NATO (Poland, Germany) and US; France and the UK",
                      allies=("FRA", "GBR")),
}


def get(theatre_id: str) -> Theatre:
    """The theatre with this id; an InputError naming the allowed ids otherwise."""
    t = THEATRES.get(str(theatre_id).strip().lower())
    if t is None:
        raise InputError("THEATRE", theatre_id, ", ".join(THEATRES), problem="is not a theatre")
    return t
