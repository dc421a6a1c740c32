"""Figures of the red deliberation hall and the proxy window for a period.

A period is [start, end], both days included (all the dates here are calendar
days in the portal's time zone). Every figure is one aggregate query (a count,
or one GROUP BY for the breakdown), never a loop over rows. `community_ids=None`
means every community (the area admin).
"""

import datetime

from django.db.models import Count, Q

from portal.periods import aggregate, in_communities, merge_groups

from .models import ProxyService, Session, Topic


def _within(field, start, end):
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def council_figures(start: datetime.date, end: datetime.date, *, community_ids=None, by_community=False) -> dict:
    """Topics settled (协商解决) and raised, sessions held (and by form), proxy services
    received and handled (done) in [start, end]. `by_community` gives {community id:
    figures} (without the sessions by form), each part one GROUP BY query."""
    group = "community_id" if by_community else None
    topics = aggregate(
        in_communities(Topic.objects.all(), community_ids),
        group,
        deliberation_topics_resolved=Count("pk", filter=Q(status=Topic.Status.SETTLED) & _within("settled_on", start, end)),
        topics_raised=Count("pk", filter=_within("proposed_on", start, end)),
    )
    sessions = in_communities(Session.objects.all(), community_ids, "topic__community_id").filter(_within("held_on", start, end))
    held = aggregate(sessions, "topic__community_id" if by_community else None, sessions_held=Count("pk"))
    proxies = aggregate(
        in_communities(ProxyService.objects.all(), community_ids),
        group,
        proxy_services_received=Count("pk", filter=_within("received_on", start, end)),
        proxy_services_handled=Count("pk", filter=Q(status=ProxyService.Status.DONE) & _within("done_on", start, end)),
    )
    if by_community:
        return merge_groups(topics, held, proxies)
    counts = {**topics, **held, **proxies}
    counts["sessions_by_form"] = dict(sessions.order_by().values("form").annotate(n=Count("pk")).values_list("form", "n"))
    return counts
