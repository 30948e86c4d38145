"""的、地、得 (code D01): the fixed patterns of data/particles.tsv, and rules that judge a
particle by the words around it, tagged with lexicon.py (jieba's dictionary):

* adverbial + 的 + verb phrase → 地 (认真的听, 耐心的为老人讲解, 热情的接待了);
* verb or adjective + 的/地 + degree complement → 得 (组织的非常好, 讲的通俗易懂);
* adverbial + 得 + verb → 地 (耐心得讲解);
* adjective + 地/得 + noun that ends the clause → 的 (美好地家园。).

docs/textcheck.md lists what is checked and what is left alone, and why."""

import re
from functools import cache

from . import lexicon, tables
from .document import matches
from .rules import finding


@cache
def patterns():
    return tuple(
        # MULTILINE: a pattern's $ ends a line too, as a line of a text box ends a sentence.
        (re.compile(row["pattern"], re.MULTILINE), row["not_after"], row["replacement"])
        for row in tables.read("particles")
    )


def table_particles(doc):
    # On the simplified view, so that a traditional text is held to the same rules.
    for pattern, not_after, replacement in patterns():
        for m in matches(pattern, doc.simple, not_after):
            right = m.expand(replacement)
            yield _finding(doc, m.start(), m.end(), m.group(), right)


def _finding(doc, start, end, wrong, right):
    return finding(doc, "D01", start, end, f"“的、地、得”用错：“{wrong}”应为“{right}”", right)


_CLAUSE_END = frozenset("，。；！？、：,;!?\n…”）)")
_DEGREE = re.compile("非常|十分|特别|格外|相当|更加|极为|极其|很|更|太")
# Prepositions that open an adverbial verb phrase: 耐心地为老人讲解.
_PREPOSITIONS = frozenset("为向给把替对与跟同从")
_ASPECT = frozenset("了着过")
# After an adverbial + 的 + verb, these heads make the whole a noun phrase (认真的学习态度).
_HEADS = frozenset(("态度", "精神", "作风", "方式", "习惯", "氛围", "状态", "劲头", "样子"))
_OBJECT_TAGS = frozenset(("n", "nr", "nrt", "ns", "nt", "nz", "r"))
_NOT_OBJECT = frozenset("下中上让使是的")
# A copula after 的 closes a 的-phrase that is the subject: 更重要的是, 最头疼的是孩子.
_COPULAS = frozenset(("是",))
_SUBJECT_TAGS = frozenset(("n", "nr", "nrt", "ns", "nt", "nz", "r", "vn"))
_PARTICLE = re.compile("[的地得]")


def _is_han(char):
    return "\u4e00" <= char <= "\u9fff"


def _reduplicated(word):
    """AABB (认认真真, 高高兴兴) or ABB (乐呵呵): a state word."""
    return (len(word) == 4 and word[0] == word[1] and word[2] == word[3]) or (
        len(word) == 3 and word[1] == word[2] and word[0] != word[1]
    )


def _role(word):
    """adverbial, verb, state, adjective, noun or None, from the overrides, else the tag."""
    if not word:
        return None
    override = lexicon.roles().get(word)
    if override:
        return None if override == "plain" else override
    if _reduplicated(word):
        return "adverbial"
    tag = lexicon.tag(word)
    if tag in ("i", "l") and len(word) >= 4:
        return "state"
    if tag == "z":
        return "adverbial"
    if tag == "ad":
        return "adverbial"
    if tag == "a":
        return "adjective"
    if tag == "v":
        return "verb"
    if tag == "vn":
        return "verbal noun"  # 服务, 检查: a verb or a noun, told apart by what follows
    if tag == "n":
        return "noun"
    return None


def _adverbial(word):
    return len(word) >= 2 and _role(word) in ("adverbial", "adjective")


def _clause_end(text, at):
    return at >= len(text) or text[at] in _CLAUSE_END


def _in_word(text, i, left, right):
    """Whether the particle at i belongs to a word (目的, 场地, 获得, 的确): a dictionary word
    through it reaches as far left as the word before it, or as far right as the one after."""
    # 静静的 is in the dictionary as 静静 + 的: the particle still belongs to no word.
    for n in range(len(left) + 1 + (len(left) >= 2), lexicon.LONGEST + 1):
        if i + 1 - n >= 0 and text[i + 1 - n : i + 1] in lexicon.tags():
            return True
    return bool(right) and len(lexicon.word_after(text, i)) > len(right)


def _degree_complement(text, at):
    """A degree adverb and at most four characters that end the clause: 非常好。"""
    m = _DEGREE.match(text, at)
    if not m:
        return False
    end = m.end()
    n = 0
    while end + n < len(text) and _is_han(text[end + n]) and n <= 4:
        n += 1
    return 1 <= n <= 4 and _clause_end(text, end + n)


def _judge(text, i, particle):
    """The right particle for the one at text[i], or None when it is right or unclear."""
    right = lexicon.word_after(text, i + 1)
    next_role = _role(right)
    # Most particles are 的 before a noun: nothing to judge, and no need to look left.
    if (
        particle == "的"
        and next_role not in ("verb", "verbal noun", "state")
        and text[i + 1] not in _PREPOSITIONS
        and not _DEGREE.match(text, i + 1)
    ):
        return None
    left = lexicon.word_before(text, i, max(0, i - lexicon.LONGEST))
    if not left or _in_word(text, i, left, right):
        return None
    if text[i - len(left) - 1 : i - len(left)] == "所":
        return None  # 所做的 is a noun phrase
    role = _role(left)
    after = i + 1 + len(right)
    if particle in "的地" and role in ("verb", "verbal noun", "adjective", "adverbial"):
        if _degree_complement(text, i + 1):
            return "得"  # 组织的非常好
        if role == "verb" and next_role == "state" and _clause_end(text, after):
            return "得"  # 讲的通俗易懂。
    if particle == "的" and _adverbial(left):
        if text[i + 1 : i + 2] in _PREPOSITIONS and len(right) == 1 and len(text) > i + 3:
            return "地"  # 耐心的为老人讲解
        if next_role in ("verb", "verbal noun"):
            tail = lexicon.word_after(text, after)
            if text[after : after + 1] in _ASPECT and len(tail) == 1:
                return "地"  # 热情的接待了, 细致的检查了
            if (
                next_role == "verb"
                and len(right) == 1
                and right not in _COPULAS
                and not _clause_end(text, after)
            ):
                return "地"  # 认真的听讲座
            if role == "adverbial" and tail not in _HEADS and _has_subject(text, i - len(left)):
                # A verbal noun counts only with an object after it: 热情的服务居民, not
                # 热情的服务赢得好评.
                takes_object = next_role == "verb" or lexicon.tag(tail) in _OBJECT_TAGS
                if takes_object and not _clause_end(text, after) and text[after] not in _NOT_OBJECT:
                    return "地"  # 社工认真的开展入户走访
    if particle == "得" and role == "adverbial" and len(left) >= 2 and next_role == "verb":
        return "地"  # 耐心得讲解
    ends = _clause_end(text, after) or text[after : after + 1] in "和与、"
    if particle in "地得" and role == "adjective" and next_role == "noun" and ends:
        return "的"  # 美好地家园。
    return None


def _has_subject(text, start):
    """A noun or pronoun right before the adverbial: 社工认真的开展 (not 以认真的学习态度)."""
    word = lexicon.word_before(text, start, max(0, start - lexicon.LONGEST))
    return bool(word) and (lexicon.tag(word) in _SUBJECT_TAGS or word.endswith("们"))


def tagged_particles(doc):
    text = doc.simple
    for m in _PARTICLE.finditer(text):
        i = m.start()
        if not i or not _is_han(text[i - 1]) or i + 1 >= len(text) or not _is_han(text[i + 1]):
            continue
        right = _judge(text, i, m.group())
        if right and right != m.group():
            left = lexicon.word_before(text, i, max(0, i - lexicon.LONGEST))
            start = i - len(left)
            end = i + 1 + len(lexicon.word_after(text, i + 1))
            wrong = doc.text[start:end]
            fixed = wrong[: i - start] + right + wrong[i - start + 1 :]
            yield _finding(doc, start, end, wrong, fixed)


CHECKS = (table_particles, tagged_particles)
