"""The shared mechanics of the funding permission matrices (tests/funding/test_permissions*.py): the person of each
role in the same or the other department, the cases to run, and the check of one request."""

from django.urls import reverse


def matrix_user(make_user, role, objects, same):
    department = objects["gers"] if same else objects["lot"]
    if role == "applicant":
        return make_user(
            role, department, organisation=objects["owner"] if same else objects["lot_owner"]
        )
    return make_user(role, department)


def matrix_cases(matrix, roles, *, get_only=(), post_only=()):
    """(route, role, same department, method) for every route of `matrix`; anonymous and admin have no department."""
    return [
        (name, role, same, method)
        for name in matrix
        for role in roles
        for same in ((True,) if role in ("anonymous", "admin") else (True, False))
        for method in (
            ["POST"] if name in post_only else ["GET"] if name in get_only else ["GET", "POST"]
        )
    ]


def check_route(client, make_user, objects, matrix, name, role, same, method):
    """One request of the matrix; the expected status may be a tuple of accepted ones."""
    args_for, expected_for = matrix[name]
    user = matrix_user(make_user, role, objects, same)
    if role != "anonymous":
        client.force_login(user)
    url = reverse(name, args=args_for(objects))
    response = client.post(url, {}) if method == "POST" else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/comptes/connexion/" in response.url
        return
    expected = expected_for(role, same, method)
    accepted = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in accepted, (name, role, same, method, response.status_code)
