from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("regions", views.RegionViewSet, basename="region")
router.register("states", views.StateViewSet, basename="state")
router.register("chapters", views.ChapterViewSet, basename="chapter")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = router.urls
