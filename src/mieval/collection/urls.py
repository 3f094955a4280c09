from mieval.collection.views import entry, review, rules

urlpatterns = [*entry.urlpatterns, *review.urlpatterns, *rules.urlpatterns]
