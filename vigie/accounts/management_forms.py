"""Forms of the account management pages: search, invitation, role. French messages beside the fields."""

from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from vigie.accounts import listing, perms
from vigie.accounts.enums import Role
from vigie.accounts.roles import DEPARTMENT_ROLES, RoleAssignment
from vigie.organisations.models import Organisation
from vigie.territories.models import Commune, Department, Epci


def _department_label(department) -> str:
    return f"{department.code} — {department.name}"


class AccountSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Nom, identifiant ou adresse électronique",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(
        label="Rôle",
        required=False,
        error_messages={"invalid_choice": "Ce rôle n'existe pas."},
    )
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états"), *listing.STATE_CHOICES],
        error_messages={"invalid_choice": "Cet état n'existe pas."},
    )
    departement = forms.ChoiceField(
        label="Département",
        required=False,
        error_messages={"invalid_choice": "Ce département n'existe pas."},
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        if manager.is_national_admin:
            roles = Role.choices
            self.fields["departement"].choices = [
                ("", "Tous les départements"),
                (listing.NO_DEPARTMENT, "Sans département (administrateurs, comptes sans rôle)"),
                *((d.code, _department_label(d)) for d in Department.objects.order_by("code")),
            ]
        else:
            roles = [(role.value, role.label) for role in DEPARTMENT_ROLES]
            del self.fields["departement"]
        self.fields["role"].choices = [("", "Tous les rôles"), *roles]


class RoleForm(DsfrBaseForm):
    """A role and what it is attached to. A prefecture agent grants roles in their own department only."""

    role = forms.ChoiceField(
        label="Rôle",
        error_messages={
            "required": "Choisissez un rôle.",
            "invalid_choice": "Ce rôle n'existe pas.",
        },
    )
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label="— Choisissez le département —",
        help_text="Aucun pour un administrateur national ou un compte sans rôle.",
        error_messages={"invalid_choice": "Ce département n'existe pas."},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation (pilote, partenaire ou porteur de projet)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="— Aucune —",
        help_text="Obligatoire pour un pilote ou un porteur de projet : l'organisation pour laquelle il agit.",
        error_messages={"invalid_choice": "Choisissez une organisation du département."},
    )
    commune = forms.ModelChoiceField(
        label="Commune du CLSPD (coordonnateur)",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="— Aucune —",
        help_text="Pour un coordonnateur de conseil local : la commune ou l'intercommunalité.",
        error_messages={"invalid_choice": "Choisissez une commune du département."},
    )
    epci = forms.ModelChoiceField(
        label="Intercommunalité du CISPD (coordonnateur)",
        queryset=Epci.objects.none(),
        required=False,
        empty_label="— Aucune —",
        error_messages={"invalid_choice": "Choisissez une intercommunalité du département."},
    )

    def __init__(self, *args, manager, allow_no_role: bool = True, refresh_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        self.assignment = None
        if manager.is_national_admin:
            roles = [(value, label) for value, label in Role.choices if value != Role.NONE]
            self.fields["department"].label_from_instance = _department_label
            if refresh_url:
                # The lists of organisations and territories follow the chosen department (HTMX).
                self.fields["department"].widget.attrs.update(
                    {
                        "hx-get": refresh_url,
                        "hx-trigger": "change",
                        "hx-include": "closest form",
                        "hx-target": "#role-attachments",
                        "hx-select": "#role-attachments",
                        "hx-swap": "outerHTML",
                    }
                )
        else:
            roles = [(role.value, role.label) for role in DEPARTMENT_ROLES]
            del self.fields["department"]
        if allow_no_role:
            roles.append((Role.NONE.value, "Aucun rôle (retirer le rôle)"))
        self.fields["role"].choices = [("", "— Choisissez le rôle —"), *roles]
        self.department = self._selected_department()
        self._limit_to_department(self.department)

    def _selected_department(self):
        if "department" not in self.fields:
            return self.manager.department
        if self.is_bound:
            raw = self.data.get(self.add_prefix("department"))
        else:
            raw = self.initial.get("department")
        if isinstance(raw, Department):
            return raw
        try:
            return Department.objects.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            return None

    def _limit_to_department(self, department) -> None:
        if department is None:
            return
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(department=department) | Q(department__isnull=True)
        ).order_by("name")
        self.fields["commune"].queryset = Commune.objects.filter(department=department).order_by(
            "name"
        )
        self.fields["commune"].label_from_instance = lambda c: f"{c.name} ({c.code})"
        self.fields["epci"].queryset = Epci.objects.filter(departments=department).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        department = cleaned.get("department") if "department" in self.fields else self.department
        assignment = RoleAssignment.build(
            cleaned.get("role"),
            department,
            cleaned.get("organisation"),
            cleaned.get("commune"),
            cleaned.get("epci"),
        )
        for field, message in assignment.errors().items():
            self.add_error(field if field in self.fields else None, message)
        if not perms.can_grant_role(self.manager, assignment.role):
            self.add_error(
                "role", "Seul l'administrateur national nomme un administrateur national."
            )
        self.assignment = assignment
        return cleaned


class InviteForm(RoleForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=150,
        help_text="Le lien d'invitation y est envoyé ; elle sert aussi d'identifiant de connexion.",
        error_messages={
            "required": "Saisissez l'adresse électronique de la personne.",
            "invalid": "Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.",
        },
    )
    first_name = forms.CharField(
        label="Prénom", max_length=150, error_messages={"required": "Saisissez le prénom."}
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, error_messages={"required": "Saisissez le nom."}
    )
    field_order = ["email", "first_name", "last_name", "role", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allow_no_role=False, **kwargs)


class ClaimLookupForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique exacte du compte",
        max_length=150,
        help_text="Un compte sans rôle (créé par une première connexion ProConnect, ou dont le rôle a été "
        "retiré) se retrouve par son adresse exacte.",
        error_messages={
            "required": "Saisissez l'adresse électronique du compte.",
            "invalid": "Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.",
        },
    )
