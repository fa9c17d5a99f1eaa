"""Pages of long sorted lists, found on the rows' ids first."""

from django.core.paginator import Paginator


class IdsFirstPaginator(Paginator):
    """A Paginator over a queryset that sorts only the ids to find a page, then reads that
    page's rows whole, in two queries instead of one.

    With tens of thousands of matching needs, PostgreSQL sorted every matching row with all
    its joined columns (State, chapter, article, category...) to keep 25: the donors'
    catalogue took 660 ms for it at 100 times today's volume, against 200 ms for the same
    sort of the ids alone. The page's rows are then read by id and put back in that order.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
