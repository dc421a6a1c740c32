"""Models of the grid app, split by area: the community's structure and people
(core), grid work (visits and appeals) and the stations / micro party schools."""

from .core import (  # noqa: F401
    Building,
    CoBuildingUnit,
    GridCell,
    PartyMember,
    Tag,
)
from .stations import Station, StationUpdate  # noqa: F401
from .work import Appeal, AppealEvent, VisitComment, VisitLog  # noqa: F401
