from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from core.access import signed_in

from .serializers import MeSerializer, TokenSerializer
from .tokens import token_issue, token_revoke
from .viewsets import ApiViewSet


@extend_schema_view(
    retrieve=extend_schema(
        summary="Who you are",
        description="The account the request is authenticated as, with its role and, for a "
        "focal point, the State, for a donor, the donor organisation.",
    )
)
class MeViewSet(ApiViewSet):
    serializer_class = MeSerializer
    sign_in_to_read = True
    pagination_class = None

    def retrieve(self, request):
        return Response(MeSerializer(request.user).data)


@extend_schema_view(
    create=extend_schema(
        summary="Your API token",
        description="Gives your token, creating it if you have none (201) — sign in on the site "
        "and call this once, then use `Authorization: Token <key>` from scripts. To replace a "
        "token that may have leaked, revoke it first.",
        request=None,
        responses={200: TokenSerializer, 201: TokenSerializer},
    ),
    destroy=extend_schema(
        summary="Revoke your API token",
        description="Calls with the old key fail (401) from now on.",
    ),
)
class MyTokenViewSet(ApiViewSet):
    serializer_class = TokenSerializer
    pagination_class = None
    write_rules = {"create": signed_in, "destroy": signed_in}

    def create(self, request):
        token, created = token_issue(user=request.user)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(TokenSerializer(token).data, status=code)

    def destroy(self, request):
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
