"""A recommendation's life apart from its indicators: the response to it, and how far it is implemented.

Recommendation trackers (the European Court of Auditors, the World Bank's MAR, the UK's Treasury
Minutes) keep the response (accepted, partly, rejected, noted) apart from implementation, which is
rated on an ordinal scale, by the body itself and independently. The catalog may set its own
vocabularies as scales; these are the defaults.
"""

from __future__ import annotations

from recotrack.model._base import Id, Model
from recotrack.model.scales import Option, OptionRole, Scale

__all__ = ["DEFAULT_IMPLEMENTATION", "DEFAULT_RESPONSES", "LifecycleSettings"]

DEFAULT_RESPONSES = Scale(
    id="response",
    label="Response to the recommendation",
    options=(
        Option(id="accepted", label="Accepted", score=1),
        Option(id="partly-accepted", label="Partly accepted", score=0.5),
        Option(id="not-accepted", label="Not accepted", score=0),
        Option(id="noted", label="Noted", role=OptionRole.NOT_APPLICABLE),
    ),
)
"""The European Court of Auditors' responses, with the UN's "noted" (neither supported nor rejected)."""

DEFAULT_IMPLEMENTATION = Scale(
    id="implementation",
    label="Implementation status",
    options=(
        Option(id="fully", label="Fully implemented", score=1),
        Option(id="in-most-respects", label="Implemented in most respects", score=2 / 3),
        Option(id="in-some-respects", label="Implemented in some respects", score=1 / 3),
        Option(id="not-implemented", label="Not implemented", score=0),
        Option(id="not-yet-assessed", label="Not yet assessed", role=OptionRole.DONT_KNOW),
    ),
)
"""The European Court of Auditors' four levels, plus "not yet assessed"."""


class LifecycleSettings(Model):
    """The vocabularies of a catalog's lifecycle records: ids of scales in ``scales:``, or the defaults."""

    responses: Id | None = None
    implementation: Id | None = None
    """The top-scoring options mean implemented (delivered)."""
