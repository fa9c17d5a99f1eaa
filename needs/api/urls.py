from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("categories", views.CategoryViewSet, basename="category")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register(
    r"needs/(?P<ref>[^/\x00]+)/actions", views.NeedActionViewSet, basename="need-action"
)
router.register("needs", views.NeedViewSet, basename="need")

urlpatterns = router.urls
