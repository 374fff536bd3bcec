"""PEP 440 against its reference: Python's ``packaging.version``.

A seeded random corpus of version strings (valid PEP 440 in many
spellings, near misses and plain garbage) goes through ``Scheme.pep440()``
and ``packaging.version.Version``: both must accept the same strings, read
them to the same normal form, and sort the accepted ones in the same order.

One deliberate difference is left out of the corpus and tested on its own
below: numbers beyond 64 bits (``packaging`` has Python's unbounded
integers; release-core refuses them with a reason). Surrounding whitespace
is Python's (``str.isspace``, Unicode's and U+001C..U+001F), as
``packaging`` strips it.
"""

from __future__ import annotations

import functools
import random
import warnings

import pytest
from packaging.version import InvalidVersion
from packaging.version import Version as PyPaVersion

from release_core import ParseError, ReleaseWarning, Scheme, Version

PEP440 = Scheme.pep440()
SEED = 440
SIZE = 6000


def _num(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return str(rng.randint(0, 12))
    if roll < 0.8:
        return str(rng.randint(0, 2100))
    if roll < 0.9:
        return "0" + str(rng.randint(0, 99))  # leading zeros: normalised away
    return str(rng.randint(0, 2**63))


def _sep(rng: random.Random) -> str:
    return rng.choice(["", "", ".", "-", "_"])


def _case(rng: random.Random, word: str) -> str:
    roll = rng.random()
    if roll < 0.75:
        return word
    if roll < 0.9:
        return word.upper()
    return "".join(c.upper() if rng.random() < 0.5 else c for c in word)


def _valid(rng: random.Random) -> str:
    """A PEP 440 version in one of the spellings PEP 440 normalises."""
    text = ""
    if rng.random() < 0.1:
        text += _case(rng, "v")
    if rng.random() < 0.1:
        text += _num(rng) + "!"
    text += ".".join(_num(rng) for _ in range(rng.choice([1, 2, 2, 3, 3, 3, 4, 5])))
    if rng.random() < 0.4:
        label = rng.choice(
            ["a", "b", "rc", "c", "alpha", "beta", "pre", "preview", "a", "b", "rc"]
        )
        number = _num(rng) if rng.random() < 0.9 else ""
        text += _sep(rng) + _case(rng, label) + _sep(rng) + number
    if rng.random() < 0.25:
        roll = rng.random()
        if roll < 0.2:
            text += "-" + _num(rng)  # implicit post-release
        else:
            label = rng.choice(["post", "rev", "r", "post"])
            number = _num(rng) if rng.random() < 0.9 else ""
            text += _sep(rng) + _case(rng, label) + _sep(rng) + number
    if rng.random() < 0.25:
        number = _num(rng) if rng.random() < 0.9 else ""
        text += _sep(rng) + _case(rng, "dev") + _sep(rng) + number
    if rng.random() < 0.2:
        parts = [
            rng.choice(["ubuntu", "abc", "deadbeef", "g1a2b3c", str(rng.randint(0, 99)), "x"])
            for _ in range(rng.randint(1, 3))
        ]
        text += "+" + "".join(p + rng.choice([".", "-", "_"]) for p in parts)[:-1]
    if rng.random() < 0.05:
        text = rng.choice([" ", "\t", "\n", "  "]) + text + rng.choice(["", " ", "\n"])
    return text


_NOISE = list("0123456789.-_+!abcdeprvtlhosw ABCRV*~^=") + ["é", "\u00a0", "１"]


def _mutate(rng: random.Random, text: str) -> str:
    """A near miss: one character inserted, deleted or replaced."""
    chars = list(text)
    at = rng.randint(0, len(chars))
    roll = rng.random()
    if roll < 0.4 or not chars:
        chars.insert(at, rng.choice(_NOISE))
    elif roll < 0.7:
        del chars[min(at, len(chars) - 1)]
    else:
        chars[min(at, len(chars) - 1)] = rng.choice(_NOISE)
    return "".join(chars)


def _garbage(rng: random.Random) -> str:
    return "".join(rng.choice(_NOISE) for _ in range(rng.randint(0, 12)))


def corpus(seed: int = SEED, size: int = SIZE) -> list[str]:
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.6:
            texts.append(_valid(rng))
        elif roll < 0.9:
            texts.append(_mutate(rng, _valid(rng)))
        else:
            texts.append(_garbage(rng))
    return texts


def _packaging(text: str) -> PyPaVersion | None:
    try:
        return PyPaVersion(text)
    except InvalidVersion:
        return None


def _ours(text: str) -> Version | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReleaseWarning)
        try:
            return PEP440.parse(text)
        except ParseError:
            return None


def _in_range(text: str) -> bool:
    """No number beyond 64 bits (the documented difference)."""
    digits = ""
    for c in text + " ":
        if c.isascii() and c.isdigit():
            digits += c
        else:
            if digits and int(digits) >= 2**64:
                return False
            digits = ""
    return True


def test_the_corpus_is_accepted_read_and_ordered_as_packaging_does() -> None:
    texts = [t for t in corpus() if _in_range(t)]
    assert len(set(texts)) > 4000
    accepted: list[tuple[str, Version, PyPaVersion]] = []
    acceptance_mismatches = []
    normal_mismatches = []
    for text in texts:
        ours, theirs = _ours(text), _packaging(text)
        if (ours is None) != (theirs is None):
            acceptance_mismatches.append((text, ours, theirs))
        elif ours is not None and theirs is not None:
            accepted.append((text, ours, theirs))
            if ours.normal_form != str(theirs):
                normal_mismatches.append((text, ours.normal_form, str(theirs)))
            assert str(ours) == text  # the spelling is kept
            assert (ours.normal_form == text) == (not ours.warnings), text
    assert acceptance_mismatches == []
    assert normal_mismatches == []
    # Both ways of sorting give the same sequence of texts (both sorts are
    # stable, so equal versions, `1.0` and `1.0.0`, keep their input order).
    ours_sorted = [t for t, _, _ in sorted(accepted, key=lambda a: a[1])]
    theirs_sorted = [t for t, _, _ in sorted(accepted, key=lambda a: a[2])]
    order_mismatches = sum(a != b for a, b in zip(ours_sorted, theirs_sorted))
    assert order_mismatches == 0
    # Pairwise on a sample: <, == and > agree.
    rng = random.Random(SEED + 1)
    for _ in range(20000):
        (_, a, pa), (_, b, pb) = rng.choice(accepted), rng.choice(accepted)
        assert (a < b, a == b, a > b) == (pa < pb, pa == pb, pa > pb)
    # The figures, for the report: `pytest -s` prints them.
    print(
        f"\npep440 differential: {len(texts)} strings, {len(accepted)} accepted by both, "
        f"{len(texts) - len(accepted)} refused by both; mismatches: "
        f"acceptance {len(acceptance_mismatches)}, normal form {len(normal_mismatches)}, "
        f"order {order_mismatches}"
    )


def test_sort_through_the_tag_scheme_agrees() -> None:
    texts = [t for t in corpus(seed=SEED + 2, size=1500) if _in_range(t)]
    valid = [t for t in texts if _packaging(t) is not None and t == t.strip()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReleaseWarning)
        ours = [str(v) for v in sorted(PEP440.parse(t) for t in valid)]
    theirs = sorted(valid, key=PyPaVersion)
    assert [PyPaVersion(t) for t in ours] == [PyPaVersion(t) for t in theirs]


@pytest.mark.parametrize(
    "text, normal",
    [("1.0RC1", "1.0rc1"), ("v1.0", "1.0"), ("1.0-alpha1", "1.0a1"), ("1.0-1", "1.0.post1")],
)
def test_a_spelling_that_is_not_normal_warns_with_the_normal_form(text: str, normal: str) -> None:
    with pytest.warns(ReleaseWarning, match=normal):
        v = PEP440.parse(text)
    assert str(v) == text
    assert v.normal_form == normal == str(PyPaVersion(text))


def test_deliberate_differences() -> None:
    big = "1." + str(2**64)
    assert _packaging(big) is not None
    with pytest.raises(ParseError, match="exceeds"):
        PEP440.parse(big)
    # Non-ASCII look-alikes are refused by both; Python's whitespace is
    # stripped by both.
    for text in ["1.0.po\u017ft1", "1.0+\u212a", "1.0+\u0131", "\uff11.0"]:
        assert _packaging(text) is None, text
        assert not PEP440.conforms(text), text
    for text in ["1.0\x0b", "\x1c1.0", "1.0\u00a0", "\u20031.0\u3000", "1.0\x85"]:
        assert _packaging(text) is not None, repr(text)
        assert PEP440.conforms(text), repr(text)


def test_next_versions_are_what_packaging_orders_after() -> None:
    cmp = functools.cmp_to_key(lambda a, b: (a > b) - (a < b))
    for text in ["3.14.0a1", "3.14.0rc1", "1.0", "1.0.post1", "1!2.0", "1.0.dev3"]:
        v = PEP440.parse(text)
        for level in ["prerelease", "patch", "minor", "major"]:
            n = PEP440.next(v, level)
            assert PyPaVersion(str(n)) > PyPaVersion(text), (text, level, str(n))
            assert cmp(n) > cmp(v)
