"""The actor network: the relations between actors that the events describe, over
time, with their sources."""

from storyline.network.graph import Change, Edge, EdgeState, Link, Network, Node, PairScore
from storyline.network.load import load_network

__all__ = [
    "Change",
    "Edge",
    "EdgeState",
    "Link",
    "Network",
    "Node",
    "PairScore",
    "load_network",
]
