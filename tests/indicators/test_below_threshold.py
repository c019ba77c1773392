"""A count of 1 to 4 people is never published (IndicatorValue.is_below_threshold): stored as 0, shown « < 5 » by
the one formatting helper, left out of sums, trajectories and charts."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from tests.indicators.test_progress import add
from vigie.audit.models import AuditEntry
from vigie.core.formatting import BELOW_THRESHOLD, BelowThreshold, number, plain_decimal
from vigie.indicators import progress, services, spreadsheets
from vigie.indicators.charts import indicator_chart
from vigie.indicators.enums import TerritorialLevel, TrackStatus, ValueSource
from vigie.indicators.models import IndicatorValue
from vigie.indicators.territory import Territory, make_key


def test_the_formatting_helper_writes_below_five():
    assert number(BELOW_THRESHOLD) == "< 5"
    assert number(BELOW_THRESHOLD, 2) == "< 5"
    assert plain_decimal(BELOW_THRESHOLD) == "< 5"
    # Numerically nothing: a sum that meets it learns no count, and it never breaks arithmetic.
    assert BELOW_THRESHOLD + Decimal(7) == Decimal(7)
    assert not isinstance(BELOW_THRESHOLD + Decimal(7), BelowThreshold)
    assert number(Decimal(0)) == "0"


def _entries(value):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(value), object_id=str(value.pk)
        ).order_by("pk")
    )


def _flagged(world, indicator, key, period, status="validated"):
    add(world, indicator, key, period, 0, status=status)
    IndicatorValue.objects.filter(indicator=indicator, period=period, territory_key=key).update(
        is_below_threshold=True
    )


def test_rollup_and_track_show_below_five_and_never_judge_it(world):
    indicator = world.dept_indicator  # target 200 in 2024: 0 would be "off track"
    add(world, indicator, "D32", "2023", 150)
    _flagged(world, indicator, "D32", "2024")
    [item] = progress.indicators_progress([indicator], world.plan)
    assert item.by_period["2023"] == 150
    assert isinstance(item.by_period["2024"], BelowThreshold)
    assert isinstance(item.annual[2024], BelowThreshold)
    assert item.track.status == TrackStatus.NO_TARGET
    assert number(item.track.value) == "< 5" and item.track.year == 2024
    chart = indicator_chart(indicator, world.plan, item.by_period)
    assert "2023 : 150" in chart and "&lt; 5" not in chart and "< 5" not in chart


def test_a_period_mixing_hidden_and_published_figures_is_left_out(world):
    indicator = world.commune_indicator
    add(world, indicator, "C32013", "2024", 12)
    _flagged(world, indicator, "C32307", "2024")
    add(world, indicator, "C32013", "2023", 9)
    [item] = progress.indicators_progress([indicator], world.plan)
    assert item.by_period == {"2023": Decimal(9)}


def test_save_value_below_threshold_stores_no_count_and_audits_the_flag(world, make_user):
    agent = make_user("prefecture", world.gers)
    territory = Territory(
        key=make_key(TerritorialLevel.DEPARTMENT, "32"),
        level=TerritorialLevel.DEPARTMENT,
        code="32",
        name="Gers",
        department_id=world.gers.pk,
    )
    entry = {
        "acting_user": agent,
        "campaign": world.campaign,
        "indicator": world.dept_indicator,
        "territory": territory,
        "period": "2025",
        "comment": "Calculé",
        "submit": True,
        "source": ValueSource.IMPORT,
    }
    result = services.save_value(value=Decimal(3), below_threshold=True, **entry)
    value = result.value
    value.refresh_from_db()
    assert (value.value, value.is_below_threshold) == (Decimal(0), True)
    assert value.shown_value is BELOW_THRESHOLD
    # A real zero differs from « < 5 »: the flag alone is a change.
    assert services.save_value(value=Decimal(0), **entry).changed
    value.refresh_from_db()
    assert (value.value, value.is_below_threshold) == (Decimal(0), False)
    assert value.shown_value == 0
    [created, updated] = _entries(value)
    assert created.changes["is_below_threshold"]["new"]
    assert "is_below_threshold" in updated.changes


def test_spreadsheets_write_below_five_and_a_typed_figure_clears_the_flag(world):
    _flagged(world, world.dept_indicator, "D32", "2025", status="submitted")
    value = IndicatorValue.objects.get(indicator=world.dept_indicator, period="2025")
    [row] = spreadsheets.export_rows(IndicatorValue.objects.filter(pk=value.pk))
    assert "< 5" in row and 0.0 not in row
    # The entry template leaves the cell blank: a « < 5 » count is computed, never typed over by mistake.
    template = [
        r
        for r in spreadsheets.template_rows(world.campaign, world.users.prefecture)
        if r[0] == world.dept_indicator.pk and r[4] == "32"
    ]
    assert template and template[0][7] is None
    check = spreadsheets.check_rows(
        world.campaign,
        world.users.prefecture,
        spreadsheets.SHEET,
        [
            tuple(c.title for c in spreadsheets.COLUMNS),
            (world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", 12, ""),
        ],
    )
    assert not check.errors, check.errors
    services.import_values(
        acting_user=world.users.prefecture, campaign=world.campaign, lines=check.lines, submit=True
    )
    value.refresh_from_db()
    assert (value.value, value.is_below_threshold) == (Decimal(12), False)
