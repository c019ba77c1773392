"""The predicates of the non-public flag and of the progress pages, one by one."""

from django.contrib.auth.models import AnonymousUser

from vigie.indicators import perms as indicator_perms
from vigie.plans import perms
from vigie.plans.models import Action, Measure
from vigie.progress import perms as progress_perms


def test_sees_restricted_is_for_people_of_the_department(world):
    gers = world.gers.pk
    assert perms.sees_restricted(world.users.reader, gers)
    assert perms.sees_restricted(world.users.admin, gers)
    assert not perms.sees_restricted(world.users.lot_prefecture, gers)
    assert not perms.sees_restricted(AnonymousUser(), gers)


def test_can_view_measure_action_and_indicator(world):
    w, visitor = world, AnonymousUser()
    assert perms.can_view_action(visitor, w.action)
    assert not perms.can_view_action(visitor, w.secret_action)
    assert perms.can_view_action(w.users.partner, w.secret_action)
    assert not indicator_perms.can_view_indicator(visitor, w.secret_indicator)
    assert indicator_perms.can_view_indicator(w.users.partner, w.secret_indicator)
    w.measure.is_restricted = True
    w.measure.save()
    assert not perms.can_view_measure(visitor, w.measure)
    assert not perms.can_view_action(visitor, Action.objects.get(pk=w.action.pk))
    assert perms.can_view_measure(w.users.pilot, w.measure)


def test_querysets_match_the_predicates(world):
    w = world
    for user in (AnonymousUser(), w.users.lot_prefecture, w.users.reader, w.users.admin):
        actions = set(perms.visible_actions(user).filter(measure__axis__plan=w.plan))
        expected = {
            a
            for a in Action.objects.filter(measure__axis__plan=w.plan)
            if perms.can_view_action(user, a)
        }
        assert actions == expected, user
        measures = set(perms.visible_measures(user).filter(axis__plan=w.plan))
        assert measures == {
            m for m in Measure.objects.filter(axis__plan=w.plan) if perms.can_view_measure(user, m)
        }
        indicators = set(
            indicator_perms.visible_indicators(user).filter(measure__axis__plan=w.plan)
        )
        assert (w.secret_indicator in indicators) == perms.sees_restricted(user, w.gers.pk)


def test_unrestricted_and_export_filter(world):
    assert set(Action.objects.filter(perms.unrestricted("", "measure__"))) >= {world.action}
    assert world.secret_action not in set(
        Action.objects.filter(perms.unrestricted("", "measure__"))
    )
    assert perms.is_public_item(world.action) and not perms.is_public_item(world.secret_action)
    assert perms.is_public_item(world.axis)  # no flag: public
    assert perms.export_filter(world.users.reader, world.gers.pk) is None
    assert perms.export_filter(AnonymousUser(), world.gers.pk) is perms.is_public_item


def test_progress_predicates(world):
    assert progress_perms.can_view_public_progress(world.plan)
    world.plan.status = "draft"
    assert not progress_perms.can_view_public_progress(world.plan)
    assert progress_perms.can_manage_publication(world.users.prefecture, world.plan)
    assert not progress_perms.can_manage_publication(world.users.pilot, world.plan)
    assert not progress_perms.can_manage_publication(world.users.lot_prefecture, world.plan)
