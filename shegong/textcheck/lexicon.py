"""Part-of-speech tags of Chinese words, from the dictionary of jieba (a kept library): each
word with the tag of its most frequent use (v verb, a adjective, ad adverbial adjective, n
noun, i idiom …), corrected by data/particle_words.tsv where the dictionary misleads.

The dictionary is read once per process, on the first text that needs it (about 0.25 s);
jieba's own segmenter is never run: looking up the few words next to a 的、地、得 costs
microseconds, tagging a whole brief with jieba.posseg costs milliseconds."""

import importlib.util
from functools import cache
from pathlib import Path

from . import tables

LONGEST = 4  # the words the particle rules look at are at most four characters long


@cache
def tags():
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return {}  # without jieba the tagged rules stay quiet; the table patterns still run
    path = Path(spec.submodule_search_locations[0]) / "dict.txt"
    out = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            word, _, tag = line.rstrip("\n").split(" ")
            if len(word) <= LONGEST:
                out[word] = tag
    return out


@cache
def roles():
    """word → role from data/particle_words.tsv: adverbial, verb, state, noun or plain (none
    of these: the word is left out of the rules)."""
    return {row["word"]: row["role"] for row in tables.read("particle_words")}


def tag(word):
    return tags().get(word)


def word_before(text, end, start=0):
    """The longest dictionary word that ends at `end` (not before `start`), or ""."""
    table = tags()
    for n in range(min(LONGEST, end - start), 0, -1):
        if text[end - n : end] in table:
            return text[end - n : end]
    return ""


def word_after(text, start):
    """The longest dictionary word that starts at `start`, or ""."""
    table = tags()
    for n in range(min(LONGEST, len(text) - start), 0, -1):
        if text[start : start + n] in table:
            return text[start : start + n]
    return ""
