from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ErrorSerializer
from core.api.viewsets import KnownQueryParameters
from dashboard.models import ALL_REGIONS
from dashboard.selectors import empty_figures, figure_set

from .serializers import REGION_CODES, DashboardQuerySerializer, DashboardSerializer


class DashboardView(KnownQueryParameters, APIView):
    """The dashboard's figures for one cycle, all regions or one regional group."""

    permission_classes = [AllowAny]

    def query_parameters(self) -> set[str]:
        return set(DashboardQuerySerializer().fields)

    @extend_schema(
        operation_id="dashboard_retrieve",
        tags=["dashboard"],
        summary="Dashboard figures",
        description=(
            "The figures of the dashboard page for one review cycle, over all regions or one "
            "regional group, as last computed in the background (`computed_at`): totals, "
            "needs and States by chapter, article, category, regional group and theme, and "
            "coverage. Public; two queries whatever the data size."
        ),
        parameters=[
            DashboardQuerySerializer,
            # A serializer field's own schema is not used for query parameters: the region
            # codes (PRODUCT.md section 4) are listed here. The database has the last word.
            OpenApiParameter(
                "region",
                str,
                required=False,
                enum=sorted(REGION_CODES),
                description="A regional group; leave out for all regions, the European "
                "Union (a party without a regional group) included.",
            ),
        ],
        responses={
            200: DashboardSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="The cycle is missing or not 1 or 2, the region is not a "
                "regional group's code, or a parameter other than `cycle`, `region` and "
                "`format` is given.",
            ),
        },
    )
    def get(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        cycle = query.validated_data["cycle"]
        region = query.validated_data.get("region")
        stored = figure_set(cycle=cycle, scope=region or ALL_REGIONS)
        payload = {
            "cycle": cycle,
            "region": region,
            "computed_at": stored.computed_at if stored else None,
            **(stored.figures if stored else empty_figures()),
        }
        return Response(DashboardSerializer(payload).data)
