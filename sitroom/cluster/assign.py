"""Articles into stories, stories into topics: two online clusterers, one inside the other.

An article joins a story (or starts one). A new story is placed in a topic at once, by its
first article, with looser settings (a topic lasts months and spans many stories); every
later article of the story also feeds its topic's centroid. When two stories merge, the
larger one's topic stays.
"""

from __future__ import annotations

from sitroom.cluster.online import Cluster, Item, OnlineClusterer, Params
from sitroom.model import StoryAssignment

__all__ = ["STORY", "TOPIC", "StoryAssigner", "story_id", "topic_id"]

# The story settings were chosen on development data, never on the gold test sets
# (news_cluster, MEANTIME; see benchmarks/stories.py): AllSides (neus-allsides-mds
# raw_crawled) scored within each day only, since AllSides draws a new story every day, finer
# than a developing story; its scores are flat for joins 0.45-0.55, so the sample corpus
# decided: joining conservatively (0.55) and merging when evidence accumulates keeps its four
# stories in 18 of 20 random arrival orders, against 15 of 20 at 0.5. The time penalty is a
# prior (a story fades over weeks), not fitted.
STORY = Params()
# Topics: a theme that runs for months over many stories. Set by reasoning, not fitted (there
# is no topic-level development set): a story joins the topic whose stories' centroid is
# near and whose names it shares, with a slow time penalty.
TOPIC = Params(
    join=0.45,
    focus_penalty=0.0,
    entity_weight=0.4,
    key_presence=True,
    time_scale_days=30.0,
    time_weight=0.05,
    max_time_penalty=0.15,
    merge=0.65,
)


def story_id(article_id: str) -> str:
    """A story is named after its first article: stable across runs and machines."""
    return "s" + article_id[:12]


def topic_id(article_id: str) -> str:
    return "t" + article_id[:12]


class StoryAssigner:
    """Assigns articles one at a time; holds both clusterers."""

    def __init__(self, stories: OnlineClusterer, topics: OnlineClusterer) -> None:
        self.stories = stories
        self.topics = topics

    @classmethod
    def empty(cls, story: Params | None = None, topic: Params | None = None) -> StoryAssigner:
        return cls(OnlineClusterer(story or STORY), OnlineClusterer(topic or TOPIC))

    def assign(self, item: Item) -> StoryAssignment:
        story, score, how = self.stories.assign(item, story_id(item.id))
        if how == "new":
            topic, _, _ = self.topics.assign(item, topic_id(item.id))
            story.parent = topic.id
        else:
            topic = self.topic_of(story)
            self.topics.add_to(topic, item)
        return StoryAssignment(story.id, topic.id, how, round(score, 4))  # type: ignore[arg-type]

    def topic_of(self, story: Cluster) -> Cluster:
        if story.parent is None or story.parent not in self.topics.clusters:
            raise KeyError(f"story {story.id} has no topic")
        return self.topics.clusters[self.topics.resolve(story.parent)]

    def resolve_story(self, story: str) -> str:
        """The live story a story id stands for now (after merges)."""
        return self.stories.resolve(story)

    def resolve_topic(self, topic: str) -> str:
        return self.topics.resolve(topic)

    def topic_of_story(self, story: str) -> str:
        return self.topic_of(self.stories.clusters[self.resolve_story(story)]).id
