from mieval.collection.views import entry, review

urlpatterns = [*entry.urlpatterns, *review.urlpatterns]
