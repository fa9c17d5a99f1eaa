from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("donors", views.DonorViewSet, basename="donor")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("funding", views.FundingViewSet, basename="funding")
router.register("donor-interests", views.DonorInterestViewSet, basename="donor-interest")
router.register("shared-needs", views.SharedNeedViewSet, basename="shared-need")

urlpatterns = router.urls
