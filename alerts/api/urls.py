from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("saved-searches", views.SavedSearchViewSet, basename="saved-search")

urlpatterns = router.urls
