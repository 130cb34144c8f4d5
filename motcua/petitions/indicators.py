"""R-IDX-02 and R-IDX-03 of one petition, as pure arithmetic (no Django): how a petition counts in
the Decision 766 satisfaction group (DOMAIN.md §10.3). The selectors apply the same rules in SQL
(``selectors.NUMERATORS``); tests check that both agree on a hand-computed history.

* Period: a petition belongs to the period of its local date of RECEIPT [I] (like dossiers,
  R-IDX-05): a petition is judged once, in the period it arrived, and its figure moves as it is
  handled.
* Within competence: every petition except those marked "not within competence" (forwarded);
  those leave both denominators [I for R-IDX-03, whose source wording says "total feedback":
  a forwarded item is handled, and responded to, elsewhere].
* R-IDX-02 numerator, "handled on time or early": answered on or before the local DATE of the
  deadline (R-TIME-14 applied to petitions [I]); an open petition counts as in time while its
  due date is on or after the evaluation date E = min(today, last day of the period) — the same
  reading as R-TIME-15 for dossiers [I]; once overdue it counts against the unit.
* R-IDX-03: within-competence petitions minus those whose petitioner answered "not satisfied"
  or complained about late handling (one petition is subtracted once even with both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OPEN = ("received", "in_progress")
ANSWERED = "answered"
NOT_COMPETENT = "not_competent"


@dataclass(frozen=True)
class PetitionFacts:
    state: str
    due_on: date
    answered_on: date | None
    not_satisfied: bool
    late_complaint: bool


def within_competence(p: PetitionFacts) -> bool:
    return p.state != NOT_COMPETENT


def handled_in_time(p: PetitionFacts, evaluation: date) -> bool:
    """R-IDX-02 numerator (see the module docstring)."""
    if p.state == ANSWERED:
        return p.answered_on is not None and p.answered_on <= p.due_on
    if p.state in OPEN:
        return p.due_on >= evaluation
    return False


def counts_against_satisfaction(p: PetitionFacts) -> bool:
    """R-IDX-03: subtracted from the total."""
    return within_competence(p) and (p.not_satisfied or p.late_complaint)


@dataclass
class Tally:
    competent: int = 0  # R-IDX-02 denominator and R-IDX-03 total
    in_time: int = 0  # R-IDX-02 numerator
    dissatisfied: int = 0  # subtracted in R-IDX-03
    answered: int = 0
    answered_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0
    not_competent: int = 0

    @property
    def satisfied(self) -> int:
        """R-IDX-03 numerator."""
        return self.competent - self.dissatisfied

    def add(self, p: PetitionFacts, evaluation: date) -> None:
        if not within_competence(p):
            self.not_competent += 1
            return
        self.competent += 1
        ok = handled_in_time(p, evaluation)
        self.in_time += ok
        if p.state == ANSWERED:
            self.answered += 1
            self.answered_late += not ok
        else:
            self.open_in_time += ok
            self.open_overdue += not ok
        self.dissatisfied += counts_against_satisfaction(p)

    def merge(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
