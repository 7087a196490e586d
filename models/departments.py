"""Categories and the departments that handle them (defaults; settings may override)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "城乡建设",
    "环境保护",
    "交通运输",
    "教育文体",
    "劳动和社会保障",
    "商贸旅游",
    "卫生计生",
)


@dataclass(frozen=True, slots=True)
class Category:
    """A complaint category. `code` is stable for APIs; `name` is what citizens see
    and what the classifier predicts (its training labels are the names)."""

    code: str
    name: str


def default_categories() -> tuple[Category, ...]:
    codes = ("urban", "environment", "transport", "education", "labour", "commerce", "health")
    return tuple(Category(code, name) for code, name in zip(codes, DEFAULT_CATEGORIES, strict=True))


@dataclass(frozen=True, slots=True)
class Department:
    """A handling department and the category names it is responsible for."""

    code: str
    name: str
    categories: tuple[str, ...]


def default_departments() -> tuple[Department, ...]:
    return (
        Department("zjw", "市住房城乡建设委", ("城乡建设",)),
        Department("sthjj", "市生态环境局", ("环境保护",)),
        Department("jtw", "市交通委", ("交通运输",)),
        Department("jw", "市教委", ("教育文体",)),
        Department("rsj", "市人力社保局", ("劳动和社会保障",)),
        Department("swj", "市商务局", ("商贸旅游",)),
        Department("wjw", "市卫生健康委", ("卫生计生",)),
    )


def department_for(category: str, departments: tuple[Department, ...]) -> Department | None:
    for department in departments:
        if category in department.categories:
            return department
    return None


@dataclass(frozen=True, slots=True)
class CategorySuggestion:
    """The model's guess: best category, its probability, the best few, and whether
    the model itself considers the guess too close to call."""

    category: str
    confidence: float
    top: tuple[tuple[str, float], ...]
    uncertain: bool = False
