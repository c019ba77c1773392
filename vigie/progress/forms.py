"""Forms of the public progress page (territory filter) and of the publication settings."""

from django import forms
from dsfr.forms import DsfrBaseForm

from vigie.progress import territory


class TerritoryFilterForm(DsfrBaseForm, forms.Form):
    """Commune or EPCI of the plan's department; empty: the whole department."""

    territoire = forms.ChoiceField(label="Commune ou EPCI", required=False)

    def __init__(self, data, *, department, **kwargs):
        super().__init__(data, **kwargs)
        options = territory.choices(department)
        self.fields["territoire"].choices = [
            ("", "Tout le département"),
            (
                "Intercommunalités (EPCI)",
                [(f"{territory.EPCI_PREFIX}{e.code}", e.name) for e in options["epcis"]],
            ),
            (
                "Communes",
                [(f"{territory.COMMUNE_PREFIX}{c.code}", c.name) for c in options["communes"]],
            ),
        ]
        self.fields["territoire"].error_messages["invalid_choice"] = (
            "Choisissez une commune ou un EPCI du département dans la liste."
        )


class PublicationForm(forms.Form):
    """The measures, actions and indicators of the plan marked non-public (checked boxes)."""

    measures = forms.TypedMultipleChoiceField(coerce=int, required=False)
    actions = forms.TypedMultipleChoiceField(coerce=int, required=False)
    indicators = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, data=None, *, measures, actions, indicators, **kwargs):
        super().__init__(data, **kwargs)
        for name, items in (
            ("measures", measures),
            ("actions", actions),
            ("indicators", indicators),
        ):
            self.fields[name].choices = [(item.pk, str(item.pk)) for item in items]
            self.fields[name].error_messages["invalid_choice"] = (
                "Un élément coché n'appartient pas à ce plan : rechargez la page."
            )
