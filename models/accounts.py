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

    def may_read(self, complaint_department: str) -> bool:
        return self.sees_everything or complaint_department == self.department
