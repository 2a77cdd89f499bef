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
