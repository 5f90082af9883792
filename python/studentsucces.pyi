"""Type stubs of the `studentsucces` extension module (Rust, PyO3)."""

from collections.abc import Iterable, Mapping
from os import PathLike
from typing import Any, Literal, Optional, Union

__version__: str
SCHEMA_VERSION: int
"""The version of the advice JSON (``docs/advice.md``)."""

Assessment = Mapping[str, Any]
"""``{"programme": id, "meta": {...}, "answers": {question id: value}, "comments": {...}}``."""

Advice = dict[str, Any]
"""One advice document, schema version 3, as ``studentsucces advise --format json`` writes it."""

class Error(Exception):
    """Every error of this module."""

class RulesError(Error):
    """The rules, a param override or the profile do not load; the message holds the diagnostics."""

class AssessmentError(Error):
    """An assessment does not fit the rules' questions; the message names field and value."""

class RuleSet:
    """A compiled rule set; immutable and safe to share between threads."""

    @staticmethod
    def roadmap(
        params: Optional[Mapping[str, float]] = None,
        profile: Optional[Union[str, PathLike[str]]] = None,
    ) -> RuleSet:
        """The embedded Roadmap, with optional param overrides (``{"in_place": 4}``)
        and an institution profile (a TOML file)."""
    @staticmethod
    def from_path(
        path: Union[str, PathLike[str]],
        params: Optional[Mapping[str, float]] = None,
        profile: Optional[Union[str, PathLike[str]]] = None,
    ) -> RuleSet:
        """The rules in a ``.rules`` file or a folder of them."""
    @property
    def name(self) -> str:
        """The rule set's name."""
    @property
    def version(self) -> str:
        """The rule set's version."""
    @property
    def hash(self) -> str:
        """SHA-256 (hex) of the rule sources, param overrides and profile."""
    @property
    def warnings(self) -> list[str]:
        """The compiler's warnings."""
    @property
    def params(self) -> dict[str, float]:
        """Every param and the value in use."""
    @property
    def tips(self) -> list[str]:
        """Every tip id, in the rule set's order."""
    def advise(self, assessment: Assessment) -> Advice:
        """Advises one assessment; raises ``AssessmentError`` when it does not fit."""
    def advise_many(
        self,
        assessments: Iterable[Assessment],
        errors: Literal["raise", "return"] = "raise",
    ) -> list[Advice]:
        """Advises many assessments in parallel without the GIL, in input order.

        ``errors="raise"``: the first bad assessment raises ``AssessmentError``
        ("assessment <index>: ..."). ``errors="return"``: its place holds
        ``{"index": i, "programme": id or None, "error": message}``.
        """
    def explain(self, assessment: Assessment, tip: str) -> dict[str, Any]:
        """Where a tip stands for one programme, as the library explains it:
        ``status`` (``kind`` recommended, pulled_in, to_establish, not_applicable or
        not_advised), the ``rules`` that fired for it, and its ``plan`` place (cycle,
        phase, priority, after, waiting). ``KeyError`` for an unknown tip id."""
