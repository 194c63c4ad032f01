"""``sort_by={field}__ASC|__DESC``, ``limit`` and ``skip`` as the reference defines them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import Select, String
from sqlalchemy.orm import InstrumentedAttribute

from pandium_server.errors import InvalidInput

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Page:
    sort_field: str | None
    descending: bool
    limit: int
    skip: int

    def apply(self, stmt: Select, columns: dict[str, InstrumentedAttribute], tiebreak) -> Select:
        """Order by the requested column (then ``tiebreak``), then offset and limit."""
        if self.sort_field is not None:
            column = columns[self.sort_field]
            if isinstance(column.type, String):
                # Code-point order: the same on every deployment, whatever the DB locale.
                column = column.collate("C")
            order = column.desc() if self.descending else column.asc()
            order = order.nulls_last() if not self.descending else order.nulls_first()
            stmt = stmt.order_by(order, tiebreak.desc() if self.descending else tiebreak.asc())
        else:
            stmt = stmt.order_by(tiebreak.asc())
        return stmt.offset(self.skip).limit(self.limit)


def page_dependency(sortable: Iterable[str]) -> Callable[..., Page]:
    """A FastAPI dependency parsing the paging parameters for the given sortable fields."""
    fields = tuple(sortable)

    def parse(
        sort_by: Annotated[
            str | None,
            Query(description="`{field}__ASC` or `{field}__DESC`; fields: " + ", ".join(fields)),
        ] = None,
        limit: Annotated[
            int | None, Query(ge=1, le=MAX_LIMIT, description="Page size; default 100, max 500.")
        ] = DEFAULT_LIMIT,
        skip: Annotated[int | None, Query(ge=0, description="Rows to skip before the page.")] = 0,
    ) -> Page:
        field, descending = None, False
        if sort_by:
            field, sep, direction = sort_by.rpartition("__")
            if not sep or direction not in ("ASC", "DESC"):
                raise InvalidInput(
                    ["query", "sort_by"], "sort_by must look like {field}__ASC or {field}__DESC"
                )
            if field not in fields:
                raise InvalidInput(
                    ["query", "sort_by"],
                    f"cannot sort by {field!r}; sortable fields: {', '.join(fields)}",
                )
            descending = direction == "DESC"
        return Page(
            field,
            descending,
            DEFAULT_LIMIT if limit is None else limit,
            0 if skip is None else skip,
        )

    return parse


def PageDep(sortable: Iterable[str]):
    """``Annotated[Page, Depends(...)]`` for the given sortable fields."""
    return Annotated[Page, Depends(page_dependency(sortable))]
