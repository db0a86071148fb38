import pytest
from django.http import Http404

from welfare.lib.paging import page_without_count
from welfare.territory.models import Municipality


def test_pages_know_their_neighbours_without_counting(district, django_assert_num_queries):
    municipalities = Municipality.objects.order_by("name")  # eight of them
    with django_assert_num_queries(1):  # no COUNT(*): one query for the rows and the look-ahead
        first = page_without_count(municipalities, "1", 3)
    assert [m.name for m in first.object_list] == [m.name for m in municipalities[:3]]
    assert (first.has_previous, first.has_next, first.next_page_number) == (False, True, 2)
    last = page_without_count(municipalities, 3, 3)
    assert [m.name for m in last.object_list] == [m.name for m in municipalities[6:]]
    assert (last.has_previous, last.has_next, last.previous_page_number) == (True, False, 2)
    exact = page_without_count(municipalities, 2, 4)
    assert len(exact.object_list) == 4
    assert not exact.has_next


@pytest.mark.parametrize("number", ["4", "0", "-1", "due", "", "NaN", "1e9", "99999999999999999999999"])
def test_a_page_that_is_not_there_is_a_404(district, number):
    with pytest.raises(Http404):
        page_without_count(Municipality.objects.order_by("name"), number, 3)


def test_an_empty_list_has_an_empty_first_page(db):
    page = page_without_count(Municipality.objects.order_by("name"), 1, 3)
    assert page.object_list == []
    assert not page.has_next
