from django.urls import path

from . import views, views_public

app_name = "council"

urlpatterns = [
    # The deliberation hall (staff)
    path("topics/", views.TopicList.as_view(), name="topic_list"),
    path("topics/new/", views.TopicCreate.as_view(), name="topic_create"),
    path("topics/<int:pk>/", views.TopicDetail.as_view(), name="topic_detail"),
    path("topics/<int:pk>/edit/", views.TopicUpdate.as_view(), name="topic_update"),
    path("topics/<int:pk>/move/", views.topic_move, name="topic_move"),
    path("topics/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_update, name="session_update"),
    # The deliberation hall (public)
    path("hall/", views_public.topics, name="public_topics"),
    path("hall/<int:pk>/", views_public.topic, name="public_topic"),
    # Red property management and the proxy window
    path("property/", views.CompanyList.as_view(), name="company_list"),
    path("property/new/", views.CompanyCreate.as_view(), name="company_create"),
    path("property/<int:pk>/", views.CompanyDetail.as_view(), name="company_detail"),
    path("property/<int:pk>/edit/", views.CompanyUpdate.as_view(), name="company_update"),
    path("proxy/", views.ProxyList.as_view(), name="proxy_list"),
    path("proxy/new/", views.ProxyCreate.as_view(), name="proxy_create"),
    path("proxy/<int:pk>/", views.ProxyDetail.as_view(), name="proxy_detail"),
    path("proxy/<int:pk>/edit/", views.ProxyUpdate.as_view(), name="proxy_update"),
    path("proxy/<int:pk>/status/", views.proxy_status, name="proxy_status"),
]
