"""What the fact builder's rules pass around: entity mentions and cue words, by token span."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Cue", "Mention"]


@dataclass(slots=True)
class Mention:
    """A mention of an entity: its kind, key and token span."""

    kind: str  # "project" | "consortium" | "network" | "programme" | "org"
    key: str
    start: int  # token indices
    end: int
    source: str = ""
    plural: bool = False
    after: int = -1  # first token after the mention and any unit named with it


@dataclass(slots=True)
class Cue:
    """A cue word (a role verb or noun, membership, negation …) with every label it has."""

    label: str
    start: int
    end: int
    text: str
    lemma: str
    participle: bool = False
    agent_noun: bool = False
    roles: set[str] = field(default_factory=set)
