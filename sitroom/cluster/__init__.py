"""Clustering: articles grouped into stories, and stories into topics, as they arrive.

features.py  what the clusterer knows of an article (text to embed, keys, date)
online.py    the online clusterer (nearest-neighbour index of centroids, joins, merges)
assign.py    stories inside topics: two clusterers and their settings
state.py     the clusterers' state in the store and the index files beside it
"""

from sitroom.cluster.assign import STORY, TOPIC, StoryAssigner
from sitroom.cluster.online import Cluster, Item, OnlineClusterer, Params

__all__ = ["STORY", "TOPIC", "Cluster", "Item", "OnlineClusterer", "Params", "StoryAssigner"]
