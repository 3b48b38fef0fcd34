"""Share a video's slack over its pauses so that an edit to one scene moves little else.

The slack (the target length less every scene's minimum) lengthens pauses as a speaker
would: each pause takes slack in proportion to its weight up to its room (water-filling,
:func:`fill`), at one common *level* (ms per unit of weight). Shared that way, every
scene's length depends on every other scene's narration: a few words more in one scene
lower the level, and every pause of every scene, and so every scene's length, moves.

So the sharing is made edit-stable (and stays stateless: the same scenes always give the
same shares):

* the level is quantized to a coarse grid (``step`` ms per unit of weight, as coarse as
  the sink's room allows), so that every scene but one takes the extras of a grid level,
  which depend only on its own pauses and that level;
* each such scene is then rounded to a whole number of *grid units*
  (:func:`grid_ms`: a whole number of frames that is also a whole number of
  centiseconds, the ASS cue grid), so scenes that merely move in time move by whole
  units and come out as the very same pictures;
* one *sink* scene takes the rest, within its pauses' rooms (and its lead-in's, which
  only the sink lengthens): the scene with the most pause room, so that it can take the
  largest remainder within the pacing's bounds. Of the grid levels whose rest fits, the
  one that leaves the sink about half its room is taken: the slack must then move by
  about half the sink's room (a few seconds of speech) before the level changes.

An edit of a few words in a scene then changes that scene and the sink only, unless it
moves the slack across the point where another grid level fits the sink better (about
one edit in eight of 0.2-1.5 s of speech: ``benchmarks/placement.py``), or the slack
runs out of the bounded pauses altogether (the excess, shared beyond the bounds as
before: every scene changes). The cost: the sink's pauses may be longer or shorter than
the others'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Pause:
    """A pause slack may lengthen: how much it may take (``room``) and how eagerly;
    ``sink_only``: only in the sink scene (a scene's lead-in: more room for the sink)."""

    room: int
    weight: int
    sink_only: bool = False


@dataclass(frozen=True)
class Shares:
    """The extra ms each pause of each scene gets (scene by scene, pause by pause).

    ``excess_ms``: slack the bounded pauses could not take, shared out beyond their
    bounds; ``sink``: the scene that took the remainder; ``level``: the quantized level
    every other scene took (ms per unit of weight), None when there was none and every
    scene took its exact share (so an edit moves them all). Scenes other than the sink
    and the edited one stay the same across an edit exactly when the sink and the level
    do."""

    extras: tuple[tuple[int, ...], ...]
    excess_ms: int
    sink: int
    level: int | None


# Level grids to choose from (ms per unit of weight): the coarsest the sink's room allows.
# A fixed ladder (four steps an octave), so that a pause more or less somewhere seldom
# changes the grid itself.
_STEPS = tuple(sorted({max(1, round(2 ** (i / 4))) for i in range(44)}))


def grid_frames(fps: int) -> int:
    """The fewest frames a scene can move by and show the very same pictures: a whole
    number of frames that is also a whole number of centiseconds (ASS cue times)."""
    return fps // math.gcd(fps, 100)


def grid_ms(fps: int) -> int:
    """:func:`grid_frames` in ms (100 ms at 30 fps, 40 at 25, 250 at 24)."""
    return 1000 // math.gcd(fps, 100)


def choose_sink(pauses: Sequence[Sequence[Pause]]) -> int:
    """The scene that takes what the others leave: the one whose pauses have the most
    room (the latest of equals). Rooms depend on the number and kind of a scene's
    chunks, not on how long they are spoken, so an edit seldom changes the choice."""
    rooms = [sum(p.room for p in scene if not p.sink_only) for scene in pauses]
    return max(range(len(rooms)), key=lambda i: (rooms[i], i))


def share_slack(
    slack: int, pauses: Sequence[Sequence[Pause]], minimum: Sequence[int], unit: int,
    leftover: int = 0,
) -> Shares:
    """Share ``slack`` ms over ``pauses`` (per scene) so that every scene's length
    (``minimum`` plus its extras) is a whole number of ``unit`` ms, except that the last
    scene also takes ``leftover`` (``target % unit``: ``slack`` includes it)."""
    count = len(pauses)
    sink = choose_sink(pauses)
    bounded = [[Pause(0, 0) if p.sink_only else p for p in scene] for scene in pauses]
    if slack > sum(p.room for scene in bounded for p in scene):
        return _beyond_bounds(slack, bounded, minimum, unit, leftover, sink)
    pauses = [pauses[i] if i == sink else scene for i, scene in enumerate(bounded)]
    rooms = [sum(p.room for p in scene) for scene in pauses]
    flat = [p for scene in pauses for p in scene]
    tail = leftover if sink != count - 1 else 0  # the last scene's, beyond the grid
    others = [i for i in range(count) if i != sink]
    weight = sum(p.weight for i in others for p in pauses[i] if p.room > 0)
    step = next((s for s in reversed(_STEPS) if s * weight <= rooms[sink]), 0)
    if step:
        found = _quantized(slack - tail, pauses, minimum, unit, sink, step)
        if found is not None:
            level, extras = found
            return _with_leftover(extras, tail, level, sink)
    # The level cannot be quantized: every scene takes its exact share, the sink what the
    # rounding to whole units leaves.
    given = fill(slack, [p.room for p in flat], [p.weight for p in flat])
    exact = _split(given, pauses)
    extras = [_on_grid(exact[i], pauses[i], minimum[i], unit) if i != sink else exact[i]
              for i in range(count)]
    extras = _settle(slack - tail, extras, pauses, sink, unit)
    # All but full, the other scenes rounded down to whole units may leave the sink more
    # than its room: beyond the bounds, as an excess.
    over = max(0, sum(extras[sink]) - rooms[sink])
    shares = _with_leftover(extras, tail, None, sink)
    return Shares(shares.extras, over, sink, None)


def _quantized(
    slack: int, pauses: Sequence[Sequence[Pause]], minimum: Sequence[int], unit: int,
    sink: int, step: int,
) -> tuple[int, list[list[int]]] | None:
    """Every scene but the sink at a level on the ``step`` grid, on whole units; the sink
    takes the rest. Of the grid levels whose rest fits the sink's room, the one that
    leaves the sink about half its room, so that an edit elsewhere must move the slack
    by half the sink's room either way before the level changes. The level and the
    extras; None if no level fits."""
    room = sum(p.room for p in pauses[sink])
    top = max((-(-p.room // p.weight) for scene in pauses for p in scene if p.weight),
              default=0)
    best: tuple[int, int, int, list[list[int]]] | None = None
    for k in range(-(-top // step) + 1):  # beyond the last, no pause takes more
        extras = [[] if i == sink else _on_grid([min(p.room, p.weight * step * k)
                                                 for p in scene], scene, minimum[i], unit)
                  for i, scene in enumerate(pauses)]
        rest = slack - sum(sum(e) for e in extras)
        if rest < 0:
            break
        if rest <= room and (best is None or abs(2 * rest - room) < best[0]):
            best = abs(2 * rest - room), step * k, rest, extras
        if 2 * rest <= room:  # higher levels leave the sink less still
            break
    if best is None:
        return None
    _, level, rest, extras = best
    extras[sink] = fill(rest, [p.room for p in pauses[sink]], [p.weight for p in pauses[sink]])
    return level, extras


def _on_grid(extras: Sequence[int], scene: Sequence[Pause], minimum: int,
             unit: int) -> list[int]:
    """``extras`` changed by less than ``unit`` in all so that the scene is a whole number
    of units long: to the nearer whole unit (the lower of two as near), adding within the
    pauses' rooms or taking back in proportion to weight; what the extras cannot give
    back the tail gives, from its minimum (less than a unit)."""
    total = minimum + sum(extras)
    down = total % unit
    if not down:
        return list(extras)
    up = unit - down
    weights = [p.weight for p in scene]
    free = [max(0, p.room - e) for p, e in zip(scene, extras, strict=True)]
    if up < down and up <= sum(free):
        more = fill(up, free, weights)
        return [e + m for e, m in zip(extras, more, strict=True)]
    if down <= sum(extras):
        less = fill(down, [max(0, e) for e in extras], weights)
        return [e - m for e, m in zip(extras, less, strict=True)]
    return _below_minimum(extras, down)


def _below_minimum(extras: Sequence[int], down: int) -> list[int]:
    """No extras left to take ``down`` ms back from: the tail gives up the rest (less
    than a unit) of its minimum."""
    out = [0] * len(extras)
    out[-1] = sum(extras) - down
    return out


def _settle(
    slack: int, extras: list[list[int]], pauses: Sequence[Sequence[Pause]], sink: int,
    unit: int,
) -> list[list[int]]:
    """Give the sink what the other scenes (each on whole units) leave of ``slack``;
    when that does not fit its room, move other scenes a unit the other way first."""
    room = sum(p.room for p in pauses[sink])
    rest = slack - sum(sum(e) for i, e in enumerate(extras) if i != sink)
    for i, scene in enumerate(pauses):
        if i == sink or 0 <= rest <= room:
            continue
        weights = [p.weight for p in scene]
        if rest < 0:  # a unit shorter, into its tail if need be
            if sum(extras[i]) >= unit:
                less = fill(unit, [max(0, e) for e in extras[i]], weights)
                changed = [e - m for e, m in zip(extras[i], less, strict=True)]
            else:
                changed = _below_minimum(extras[i], unit)
        else:  # a unit longer, within its rooms
            free = [max(0, p.room - e) for p, e in zip(scene, extras[i], strict=True)]
            if sum(free) < unit:
                continue
            more = fill(unit, free, weights)
            changed = [e + m for e, m in zip(extras[i], more, strict=True)]
        rest += sum(extras[i]) - sum(changed)
        extras[i] = changed
    if rest <= room:
        extras[sink] = fill(max(0, rest), [p.room for p in pauses[sink]],
                            [p.weight for p in pauses[sink]])
        if rest < 0:
            extras[sink][-1] += rest  # nothing else could give: the tail gives
    else:
        extras[sink] = _spread(rest, pauses[sink])
    return extras


def _with_leftover(extras: list[list[int]], tail: int, level: int | None,
                   sink: int) -> Shares:
    if tail:
        extras[-1][-1] += tail
    return Shares(tuple(tuple(e) for e in extras), 0, sink, level)


def _beyond_bounds(
    slack: int, pauses: Sequence[Sequence[Pause]], minimum: Sequence[int], unit: int,
    leftover: int, sink: int,
) -> Shares:
    """More slack than the bounded pauses can take: each takes its room, and the excess
    goes to the scenes in proportion to their length, within a scene by weight."""
    rooms = [sum(p.room for p in scene) for scene in pauses]
    excess = slack - sum(rooms)
    needed = max(1, sum(minimum))
    shares = [excess * m // needed for m in minimum]
    shares[-1] += excess - sum(shares)
    extras = [_spread(room + share, scene)
              for scene, room, share in zip(pauses, rooms, shares, strict=True)]
    tail = leftover if sink != len(pauses) - 1 else 0
    extras = [e if i == sink else _on_grid(e, pauses[i], minimum[i], unit)
              for i, e in enumerate(extras)]
    rest = slack - tail - sum(sum(e) for i, e in enumerate(extras) if i != sink)
    extras[sink] = _spread(rest, pauses[sink])
    shared = _with_leftover(extras, tail, None, sink)
    return Shares(shared.extras, excess, sink, None)


def _spread(amount: int, scene: Sequence[Pause]) -> list[int]:
    """``amount`` ms over a scene's pauses: each its room first, the rest by weight."""
    rooms = [p.room for p in scene]
    given = fill(min(amount, sum(rooms)), rooms, [p.weight for p in scene])
    left = amount - sum(given)
    if left > 0:
        weights = [p.weight for p in scene]
        more = [left * w // sum(weights) for w in weights]
        more[-1] += left - sum(more)
        given = [g + m for g, m in zip(given, more, strict=True)]
    return given


def _split(given: Sequence[int], pauses: Sequence[Sequence[Pause]]) -> list[list[int]]:
    out = []
    at = 0
    for scene in pauses:
        out.append(list(given[at:at + len(scene)]))
        at += len(scene)
    return out


def fill(amount: int, rooms: Sequence[int], weights: Sequence[int]) -> list[int]:
    """Share ``amount`` (at most the sum of ``rooms``) among slots in proportion to their
    weights, none beyond its room; the result sums to ``amount`` exactly."""
    given = [0] * len(rooms)
    open_ = sorted((i for i, r in enumerate(rooms) if r > 0),
                   key=lambda i: rooms[i] / weights[i])
    left = amount
    while open_:
        total_w = sum(weights[i] for i in open_)
        i = open_[0]
        if left * weights[i] >= rooms[i] * total_w:  # this one fills up: give it its room
            given[i] = rooms[i]
            left -= rooms[i]
            open_.pop(0)
            continue
        for j in open_:
            given[j] = left * weights[j] // total_w
        rest = left - sum(given[j] for j in open_)
        for j in open_:  # rounding: a millisecond more to the first few, within room
            if rest <= 0:
                break
            if given[j] < rooms[j]:
                given[j] += 1
                rest -= 1
        break
    return given
