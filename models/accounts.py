"""Staff accounts and what each role may do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.complaint import Complaint

# An account's name is its key everywhere: in console URLs (/console/accounts/NAME/...),
# as the actor in complaint histories and the audit log, and on the CLI. One rule for
# the console, the CLI and the store. The pattern reads the same to Python and to an
# HTML form's pattern attribute (hence the escaped hyphen).
ACCOUNT_NAME_PATTERN = r"[A-Za-z0-9_\-]{2,32}"
ACCOUNT_NAME_MIN, ACCOUNT_NAME_MAX = 2, 32
_ACCOUNT_NAME = re.compile(ACCOUNT_NAME_PATTERN)


class InvalidAccountName(ValueError):
    """A name outside the rule; `reason` says which part: "length" or "characters"."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            f"account names are {ACCOUNT_NAME_MIN}-{ACCOUNT_NAME_MAX} letters, digits, "
            f"'_' or '-' ({reason}): {name[:40]!r}"
        )
        self.name = name
        self.reason = reason


def check_account_name(name: str) -> None:
    """Raise `InvalidAccountName` unless the name keeps the rule. Nothing is stripped
    or changed: a name with surrounding spaces is refused, not quietly trimmed."""
    if _ACCOUNT_NAME.fullmatch(name):
        return
    if not ACCOUNT_NAME_MIN <= len(name) <= ACCOUNT_NAME_MAX:
        raise InvalidAccountName(name, "length")
    raise InvalidAccountName(name, "characters")


class Role(StrEnum):
    ADMIN = "admin"  # everything, including full personal data (audited)
    DISPATCHER = "dispatcher"  # all complaints, dispatching
    DEPARTMENT = "department"  # only its own department's complaints


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: Role
    department: str = ""  # department code, for the department role

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.ADMIN, Role.DISPATCHER)

    def may_read(self, complaint: Complaint) -> bool:
        """Departments see a complaint once it is dispatched to them, not while the
        model's suggested department waits in the dispatcher's queue (nor after the
        citizen withdrew it there)."""
        if self.sees_everything:
            return True
        return complaint.department == self.department and complaint.held_by_department
