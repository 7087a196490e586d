"""Staff accounts and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

    def may_read(self, complaint_department: str, status: str) -> bool:
        """Departments see a complaint once it is dispatched to them, not while the
        model's suggested department waits in the dispatcher's queue."""
        if self.sees_everything:
            return True
        return complaint_department == self.department and status != "submitted"
