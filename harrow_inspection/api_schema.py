"""The OpenAPI schema's generator (a module of its own: DRF imports it from settings,
before the API's views exist)."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of an error: `detail` for a 404, or for a 400 a list of messages for each
    parameter that cannot be used, e.g. {"service_area": ["Select a valid choice…"]}."""

    detail = serializers.CharField(required=False)


class AutoSchema(SpectacularAutoSchema):
    """Documents the errors every read answers with: 400 for a list's bad parameters,
    404 for an unknown object."""

    def _get_filter_parameters(self):
        """A list's filters, with `allowEmptyValue` where its filterset reads an empty
        value as no filter (a form's "Any" option sends `?local_authority=`): the schema
        then says that `?judgement_grade=` is answered, as it is, like no grade at all."""
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        if getattr(filterset, "empty_means_any", False):
            for parameter in parameters:
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
        for parameter in parameters:
            described = _described(filterset, parameter["name"])
            if described and not parameter.get("description"):
                parameter["description"] = described
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET" and "200" in responses:
            code, description = (
                ("400", "A parameter cannot be used.")
                if self._is_list_view()
                else ("404", "No such object.")
            )
            responses.setdefault(code, self._get_response_for_code(ErrorSerializer, code))
            responses[code]["description"] = description
        return responses


def _described(filterset, name):
    """A filter's help text (or label), with the values it takes where they are a fixed
    list: drf-spectacular leaves a filter typed by `extend_schema_field` (the slug and
    choice filters) undescribed, so the documentation showed a dash for half of them."""
    filter_ = getattr(filterset, "base_filters", {}).get(name)
    if filter_ is None:
        return ""
    described = str(filter_.extra.get("help_text") or filter_.label or "")
    choices = filter_.extra.get("choices")
    if choices and not callable(choices) and "`" not in described:
        described += " Takes: " + ", ".join(f"`{value}`" for value, _ in choices) + "."
    return described.strip()
