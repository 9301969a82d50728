"""The actor network: the relations between actors that the events describe, over
time, with their sources."""

from storyline.network.graph import Edge, EdgeState, Link, Network, Node, View
from storyline.network.history import Change, PairScore
from storyline.network.load import load_network

__all__ = [
    "Change",
    "Edge",
    "EdgeState",
    "Link",
    "Network",
    "Node",
    "PairScore",
    "View",
    "load_network",
]
