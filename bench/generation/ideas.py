"""The idea exchange at national scale (issue 17, "Done when": "the idea exchange at 10,000
posts in the scale generator"): for every hub and year, posts by its staff, its CCG leads and
its region's team, each tagged with a Programme of Care and a theme, a comment on every fifth
and a follower besides the author on every third."""

import datetime

from ideas.models import Comment, Follow, Organisation, Post, Theme, themes_field

from .constants import IDEAS_PER_HUB_YEAR
from .helpers import at, bulk

SERVICES = [
    "renal dialysis",
    "paediatric surgery",
    "neurosurgery",
    "specialised cancer",
    "cardiac surgery",
    "adult critical care",
    "specialised mental health",
    "haemophilia",
]


class IdeaSteps:
    def ideas(self) -> None:
        rng = self.rng
        posts, themes = [], Theme.values
        for year in self.years:
            start = datetime.date(year, 4, 1)
            for hub in self.hubs:
                authors = [(u, Organisation.HUB, None) for u in self.staff[hub.pk]]
                authors += [(u, Organisation.CCG, ccg) for u, ccg in self.leads_in(hub, start)][:10]
                team = [(u, Organisation.REGION, None) for u in self.team[hub.region_id]]
                for i in range(IDEAS_PER_HUB_YEAR):
                    user, kind, ccg = rng.choice(authors if i % 10 else team)
                    service = rng.choice(SERVICES)
                    when = at(start + datetime.timedelta(days=rng.randrange(0, 365)), 9)
                    posts.append(
                        Post(
                            title=f"{service.capitalize()}: shared practice {year}-{i}",
                            problem=f"Patients needing {service} travelled far for assessment.",
                            tried="A joint clinic with the neighbouring trust, one referral.",
                            results="Fewer journeys; waiting times down by three weeks.",
                            themes=themes_field([rng.choice(themes)]),
                            author=user,
                            organisation=kind,
                            region_id=hub.region_id,
                            hub=None if kind == Organisation.REGION else hub,
                            ccg=ccg if kind == Organisation.CCG else None,
                            created_at=when,
                            updated_at=when,
                        )
                    )
        made = bulk(Post, posts, self.counts)
        tags = [
            Post.programmes.through(post_id=p.pk, programmeofcare_id=rng.choice(self.programmes).pk)
            for p in made
        ]
        Post.programmes.through.objects.bulk_create(tags, batch_size=2000)
        everyone = [u for hub in self.hubs for u in self.staff[hub.pk]]
        follows, comments = [], []
        for n, post in enumerate(made):
            follows.append(Follow(post=post, user=post.author, started_at=post.created_at))
            other = rng.choice(everyone)
            if n % 3 == 0 and other.pk != post.author_id:
                follows.append(Follow(post=post, user=other, started_at=post.created_at))
            if n % 5 == 0:
                when = post.created_at + datetime.timedelta(days=2)
                comments.append(
                    Comment(
                        post=post,
                        author=other,
                        body="We tried something similar: how did you agree the tariff?",
                        created_at=when,
                        updated_at=when,
                    )
                )
        bulk(Follow, follows, self.counts)
        bulk(Comment, comments, self.counts)
