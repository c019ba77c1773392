"""Cadence, legal obligation, follow-ups and trackers, computed as of a frozen date."""

from datetime import date

import pytest

from tests.factories import CommuneFactory, EpciFactory, OrganisationFactory
from tests.governance.conftest import TODAY
from tests.governance.factories import BodyFactory, DecisionFactory, MeetingFactory
from vigie.governance import selectors
from vigie.governance.enums import BodyKind, Cadence, CadenceStatus, FollowUpStatus, SchemeState
from vigie.governance.matching import CommuneIndex, normalise
from vigie.governance.models import Body

# --- cadence rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2023, 12, 15), 1, date(2024, 1, 15)),
        (date(2019, 6, 11), 12, date(2020, 6, 11)),
    ],
)
def test_add_months(day, months, expected):
    assert selectors.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("cadence", "last", "today", "expected"),
    [
        # Yearly: overdue when nothing in the 12 months before today (plus 7 days' grace).
        (Cadence.YEARLY, date(2023, 5, 15), date(2024, 5, 15), CadenceStatus.UP_TO_DATE),
        (Cadence.YEARLY, date(2023, 5, 15), date(2024, 5, 22), CadenceStatus.UP_TO_DATE),
        (Cadence.YEARLY, date(2023, 5, 15), date(2024, 5, 23), CadenceStatus.OVERDUE),
        (Cadence.YEARLY, date(2018, 1, 16), TODAY, CadenceStatus.OVERDUE),
        # Twice a year: 6 months.
        (Cadence.TWICE_A_YEAR, date(2023, 12, 1), date(2024, 6, 8), CadenceStatus.UP_TO_DATE),
        (Cadence.TWICE_A_YEAR, date(2023, 12, 1), date(2024, 6, 9), CadenceStatus.OVERDUE),
        # Monthly: 1 month.
        (Cadence.MONTHLY, date(2024, 4, 10), date(2024, 5, 17), CadenceStatus.UP_TO_DATE),
        (Cadence.MONTHLY, date(2024, 4, 10), date(2024, 5, 18), CadenceStatus.OVERDUE),
        (Cadence.MONTHLY, None, TODAY, CadenceStatus.NEVER_MET),
        (Cadence.NONE, None, TODAY, CadenceStatus.NO_CADENCE),
        (Cadence.NONE, date(2010, 1, 1), TODAY, CadenceStatus.NO_CADENCE),
    ],
)
def test_cadence_status(cadence, last, today, expected):
    status, _due = selectors.cadence_status(cadence, last, today)
    assert status == expected


@pytest.mark.django_db
def test_last_and_next_meeting_ignore_cancelled_ones(gers):
    body = BodyFactory(department=gers, cadence=Cadence.YEARLY)
    MeetingFactory(body=body, date=date(2023, 1, 10))
    MeetingFactory(body=body, date=date(2024, 3, 1), is_cancelled=True)
    MeetingFactory(body=body, date=date(2024, 9, 1), is_cancelled=True)
    MeetingFactory(body=body, date=date(2024, 10, 2))
    [row] = selectors.body_statuses(gers, TODAY)
    assert row.last_meeting == date(2023, 1, 10)
    assert row.next_meeting == date(2024, 10, 2)
    assert row.status == CadenceStatus.OVERDUE
    assert row.due_on == date(2024, 1, 10)


@pytest.mark.django_db
def test_a_meeting_today_counts_as_held(gers):
    body = BodyFactory(department=gers, cadence=Cadence.MONTHLY)
    MeetingFactory(body=body, date=TODAY)
    [row] = selectors.body_statuses(gers, TODAY)
    assert (row.last_meeting, row.next_meeting, row.status) == (
        TODAY,
        None,
        CadenceStatus.UP_TO_DATE,
    )


@pytest.mark.django_db
def test_inactive_bodies_are_left_out(gers):
    BodyFactory(department=gers, is_active=False)
    assert selectors.body_statuses(gers, TODAY) == []


# --- Gers seed as of a frozen date ----------------------------------------------------------------

GERS_COUNCILS = {
    "CISPD du Grand Auch Cœur de Gascogne": date(2019, 6, 11),
    "CISPD de la Gascogne Toulousaine": date(2019, 12, 13),
    "CLSPD de Condom": date(2018, 1, 16),
    "CLSPD d'Eauze": date(2019, 6, 28),
    "CLSPD de Fleurance": date(2019, 3, 19),
}


@pytest.mark.django_db
def test_gers_councils_are_all_overdue(demo, make_user):
    context = selectors.dashboard(demo["gers"], make_user("prefecture", demo["gers"]), TODAY)
    councils = {row.body.name: row for row in context["statuses"] if row.body.is_local_council}
    assert set(councils) == set(GERS_COUNCILS)
    for name, last in GERS_COUNCILS.items():
        assert councils[name].last_meeting == last
        assert councils[name].status == CadenceStatus.OVERDUE


@pytest.mark.django_db
def test_gers_councils_were_up_to_date_just_after_their_meeting(demo, make_user):
    context = selectors.dashboard(
        demo["gers"], make_user("prefecture", demo["gers"]), date(2019, 12, 31)
    )
    statuses = {row.body.name: row.status for row in context["statuses"]}
    assert statuses["CISPD de la Gascogne Toulousaine"] == CadenceStatus.UP_TO_DATE
    assert statuses["CLSPD de Condom"] == CadenceStatus.OVERDUE


# --- obligation of the law of 5 March 2007 --------------------------------------------------------


@pytest.mark.django_db
def test_auch_is_covered_through_its_cispd(demo):
    coverage = {row.commune.name: row for row in selectors.local_council_coverage(demo["gers"])}
    assert set(coverage) == {"Auch"}
    assert coverage["Auch"].covered
    assert coverage["Auch"].cispd.name == "CISPD du Grand Auch Cœur de Gascogne"
    assert coverage["Auch"].clspd is None


@pytest.mark.django_db
def test_a_commune_over_10000_without_council_is_listed(demo, make_user):
    CommuneFactory(department=demo["gers"], code="32999", name="Villeneuve-test", population=10_001)
    CommuneFactory(department=demo["gers"], code="32998", name="Pile-dix-mille", population=10_000)
    context = selectors.dashboard(demo["gers"], make_user("reader", demo["gers"]), TODAY)
    assert [row.commune.name for row in context["uncovered"]] == ["Villeneuve-test"]


@pytest.mark.django_db
def test_clspd_covers_its_commune_and_cispd_covers_the_epci(gers):
    epci = EpciFactory(name="CC du Test")
    big = CommuneFactory(department=gers, population=15_000, epci=epci)
    other = CommuneFactory(department=gers, population=12_000)
    BodyFactory(department=gers, kind=BodyKind.CISPD, epci=epci)
    BodyFactory(department=gers, kind=BodyKind.CLSPD, commune=other)
    rows = {row.commune: row for row in selectors.local_council_coverage(gers)}
    assert rows[big].cispd is not None and rows[big].clspd is None
    assert rows[other].clspd is not None


@pytest.mark.django_db
def test_an_inactive_council_does_not_cover(gers):
    commune = CommuneFactory(department=gers, population=15_000)
    BodyFactory(department=gers, kind=BodyKind.CLSPD, commune=commune, is_active=False)
    [row] = [r for r in selectors.local_council_coverage(gers) if r.commune == commune]
    assert not row.covered


# --- follow-ups -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_follow_ups(gers):
    meeting = MeetingFactory(body=BodyFactory(department=gers))
    owner = OrganisationFactory(department=gers)
    late = DecisionFactory(
        meeting=meeting, is_followed=True, owner=owner, due_date=date(2024, 5, 14)
    )
    DecisionFactory(meeting=meeting, is_followed=True, owner=owner, due_date=TODAY)
    DecisionFactory(
        meeting=meeting,
        is_followed=True,
        owner=owner,
        due_date=date(2024, 1, 1),
        status=FollowUpStatus.DONE,
    )
    DecisionFactory(meeting=meeting, is_followed=False, due_date=date(2024, 1, 1))
    assert list(selectors.overdue_follow_ups(gers, TODAY)) == [late]
    assert late.is_overdue(TODAY)


@pytest.mark.django_db
def test_dashboard_masks_restricted_decisions_for_non_members(gers, make_user):
    meeting = MeetingFactory(body=BodyFactory(department=gers), is_restricted=True)
    DecisionFactory(
        meeting=meeting, is_followed=True, owner_label="SPIP", due_date=date(2024, 1, 1)
    )
    [hidden] = selectors.dashboard(gers, make_user("reader", gers), TODAY)["overdue_follow_ups"]
    assert hidden.hidden
    [shown] = selectors.dashboard(gers, make_user("prefecture", gers), TODAY)["overdue_follow_ups"]
    assert not shown.hidden


# --- trackers -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lot_video_target_lists_communes_over_3000_neither_equipped_nor_engaged(demo):
    context = selectors.tracker(demo["lot"], "videoprotection", today=TODAY)
    short = [row.commune.name for row in context["short_of_target"]]
    assert short == ["Cahors", "Figeac", "Gourdon", "Gramat", "Pradines", "Saint-Céré"]
    assert "Souillac" not in short  # engaged
    states = {row.commune.name: row.state for row in context["rows"]}
    assert states["Souillac"] == states["Prayssac"] == SchemeState.PROJECT
    [figure] = context["figures"]
    assert (figure.cameras, figure.communes_count) == (134, 3)
    assert context["targeted_count"] == 7


@pytest.mark.django_db
def test_equipping_a_commune_removes_it_from_the_shortfall(demo):
    from vigie.governance import services
    from vigie.territories.models import Commune

    cahors = Commune.objects.get(code="46042")
    services.set_scheme_record(
        acting_user=None,
        commune=cahors,
        scheme="videoprotection",
        data={"state": SchemeState.IN_PLACE, "cameras": 60, "as_of": TODAY, "source": "Test"},
    )
    context = selectors.tracker(demo["lot"], "videoprotection", today=TODAY)
    assert "Cahors" not in [row.commune.name for row in context["short_of_target"]]


@pytest.mark.django_db
def test_gers_video_tracker(demo):
    context = selectors.tracker(demo["gers"], "videoprotection", today=TODAY)
    counts = {state: count for state, _label, count in context["state_counts"]}
    assert counts[SchemeState.IN_PLACE] == 10
    assert counts[SchemeState.DIAGNOSIS] == 6
    [pending] = context["unresolved"]
    assert pending.source_label == "SAMATAN PANASSAC"
    assert [c.name for c in pending.candidate_communes] == ["Panassac", "Samatan"]


@pytest.mark.django_db
def test_local_council_tracker_is_computed_from_bodies(demo):
    context = selectors.tracker(demo["gers"], "clspd", today=TODAY)
    states = {row.commune.name: (row.state, row.body) for row in context["rows"]}
    assert states["Condom"][0] == SchemeState.IN_PLACE
    assert states["Léboulin"][1].name == "CISPD du Grand Auch Cœur de Gascogne"
    assert states["Nogaro"] == (SchemeState.NONE, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("commune", "Auch"),
        ("population", "Auch"),
        ("etat", "Cazaubon"),
        ("territoire", "Auch"),
        ("inconnu", "Auch"),
    ],
)
def test_tracker_sorts(demo, sort, first):
    context = selectors.tracker(demo["gers"], "videoprotection", sort=sort, today=TODAY)
    assert context["rows"][0].commune.name == first


@pytest.mark.django_db
def test_territory_sort_groups_by_arrondissement_then_epci(demo):
    rows = selectors.tracker(demo["gers"], "videoprotection", sort="territoire", today=TODAY)[
        "rows"
    ]
    keys = [
        (r.commune.arrondissement.name, r.commune.epci.name if r.commune.epci else "~")
        for r in rows
    ]
    assert keys == sorted(keys)


# --- name matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("VIC FEZENSAC", "vic fezensac"),
        ("LÉBOULIN", "leboulin"),
        ("St-Clar", "saint clar"),
        ("L’Isle-Jourdain", "l isle jourdain"),
    ],
)
def test_normalise(spelling, expected):
    assert normalise(spelling) == expected


@pytest.mark.django_db
def test_matching_is_tolerant_but_never_guesses(gers):
    index = CommuneIndex(gers.communes.all())
    assert index.match("VIC FEZENSAC").commune.name == "Vic-Fezensac"
    assert index.match("LABASTIDE SAVÈS").commune.name == "Labastide-Savès"
    assert index.match("SAINT CLAR").commune.name == "Saint-Clar"
    assert index.match("ISLE JOURDAIN").commune.name == "L'Isle-Jourdain"
    assert index.match("CASTEX").commune.name == "Castex"
    for unsure in ("SOLOMIAX", "SAMATAN PANASSAC", "È LOMBEZ"):
        assert not index.match(unsure).is_resolved
    assert [c.name for c in index.match("È LOMBEZ").candidates] == ["Lombez"]


@pytest.mark.django_db
def test_homonyms_are_ambiguous(gers):
    CommuneFactory(department=gers, name="Castex", code="32900")
    match = CommuneIndex(gers.communes.all()).match("castex")
    assert not match.is_resolved
    assert len(match.candidates) == 2


@pytest.mark.django_db
def test_working_groups_follow_their_council(demo, make_user):
    rows = selectors.body_statuses(demo["lot"], TODAY)
    names = [row.body.name for row in rows]
    cahors = names.index("CLSPD de Cahors")
    assert all(
        name.startswith("CLSPD de Cahors — groupe") for name in names[cahors + 1 : cahors + 4]
    )
    assert Body.objects.filter(parent__name="CLSPD de Figeac").count() == 4
