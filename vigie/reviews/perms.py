"""Who may write, generate and read a plan's reviews. Small predicates, unit-tested one by one.

Rules:
- the prefecture of the plan's department (and national administrators) writes the introduction and the
  comments per axis, and generates reviews;
- every account of the department reads the generated reviews and the review page: they are the CDPD's
  documents, shared with its members (readers), the pilots, partners and local coordinators;
- reviews are never public: for anyone else they do not exist (404).
"""

from vigie.accounts.enums import Role


def can_view_reviews(user, plan) -> bool:
    return bool(user.is_authenticated) and user.belongs_to(plan.department_id)


def can_write_reviews(user, plan) -> bool:
    """Write the introduction and comments, generate a review."""
    if not can_view_reviews(user, plan):
        return False
    return user.is_national_admin or user.role == Role.PREFECTURE
