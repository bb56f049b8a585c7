"""Character features for the CRF tagger: char n-grams, char types, jieba word/POS, lexicons.

One feature list per character, as plain strings (python-crfsuite takes them as binary
attributes). Everything a sentence needs is computed once per sentence into per-position
lists, then joined with f-strings: feature extraction, not the CRF, is what bounds speed.

>>> feats = sentence_features("卢放表示", [("卢放", "nr"), ("表示", "v")])
>>> "c=卢" in feats[0] and "wp=B_nr" in feats[0]
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

#: Padding "characters" around a sentence.
_BOS2, _BOS, _EOS, _EOS2 = "<s2>", "<s>", "</s>", "</s2>"

_CN_DIGITS = frozenset("零〇一二三四五六七八九十百千万亿两")

#: Feature set versions: 1 (the first shipped model), 2 (adds address cues: place/address
#: suffix characters, number runs and what follows them, chars at +-3, lexicon span ends).
FEATURE_VERSIONS = (1, 2)

#: Characters that end Chinese place names and street addresses (省市区县..., 路街号楼...).
ADDRESS_SUFFIX = frozenset("省市区县旗盟州镇乡村屯庄街道路巷弄胡同号楼栋幢层室院园里湾坊门桥口港岛山河湖")


@lru_cache(maxsize=65536)
def norm_char(ch: str) -> str:
    """NFKC and lower case, so full-width Ｂ and b are one feature."""
    return unicodedata.normalize("NFKC", ch).lower() or ch


@lru_cache(maxsize=65536)
def char_type(ch: str) -> str:
    """H Han, N Chinese numeral, D digit, L Latin letter, P punctuation, S space, O other."""
    if ch in _CN_DIGITS:
        return "N"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "H"
    n = norm_char(ch)
    if n.isdigit():
        return "D"
    if n.isascii() and n.isalpha():
        return "L"
    if ch.isspace():
        return "S"
    if unicodedata.category(ch).startswith("P") or unicodedata.category(ch).startswith("S"):
        return "P"
    return "O"


def word_positions(words: Iterable[tuple[str, str]], length: int) -> tuple[list[str], list[str], list[int]]:
    """Per character: BMES position + POS of its word, the word itself, its word index."""
    wp: list[str] = []
    wd: list[str] = []
    wi: list[int] = []
    for k, (word, pos) in enumerate(words):
        n = len(word)
        if n == 1:
            wp.append(f"S_{pos}")
        else:
            wp.append(f"B_{pos}")
            wp.extend([f"M_{pos}"] * (n - 2))
            wp.append(f"E_{pos}")
        wd.extend([word] * n)
        wi.extend([k] * n)
    if len(wp) != length:  # the segmenter must cover the text exactly
        raise ValueError(f"words cover {len(wp)} characters, the text has {length}")
    return wp, wd, wi


def lexicon_tags(text: str, matches: Iterable[tuple[int, int, str]],
                 ends: bool = False) -> list[tuple[str, ...]]:
    """Per character, the BIO tags of every dictionary match covering it (``lx=B-Place``);
    with ``ends`` a match's last character is ``lx=E-Place`` (feature version 2)."""
    tags: list[list[str]] = [[] for _ in text]
    for start, end, type_ in matches:
        if end - start < 2:
            continue
        tags[start].append(f"lx=B-{type_}")
        for i in range(start + 1, end):
            tags[i].append(f"lx=I-{type_}")
        if ends:
            tags[end - 1].append(f"lx=E-{type_}")
    return [tuple(sorted(set(t))) for t in tags]


def sentence_features(text: str, words: Sequence[tuple[str, str]],
                      lexicon: Sequence[tuple[str, ...]] | None = None,
                      version: int = 1) -> list[list[str]]:
    """Feature strings for every character of ``text``; ``words`` are jieba (word, POS) pairs
    covering ``text`` exactly; ``lexicon`` optional per-character dictionary tags;
    ``version`` the feature set (see FEATURE_VERSIONS; a model is tagged with the one it was
    trained with)."""
    n = len(text)
    if n == 0:
        return []
    chars = [_BOS2, _BOS, *(norm_char(c) for c in text), _EOS, _EOS2]
    types = ["B", "B", *(char_type(c) for c in text), "E", "E"]
    wp, wd, wi = word_positions(words, n)
    if version >= 2:
        sfx = ["0", "0", *("1" if c in ADDRESS_SUFFIX else "0" for c in text), "0", "0"]
        runs = _number_runs(types)
    else:
        sfx = runs = []
    wp = ["BOS", *wp, "EOS"]
    wordlist = [w for w, _ in words]
    poslist = [p for _, p in words]
    nwords = len(wordlist)
    feats: list[list[str]] = []
    for i in range(n):
        j = i + 2  # index into the padded chars
        c_2, c_1, c0, c1, c2 = chars[j - 2], chars[j - 1], chars[j], chars[j + 1], chars[j + 2]
        k = wi[i]
        prev_w = wordlist[k - 1] if k > 0 else _BOS
        next_w = wordlist[k + 1] if k + 1 < nwords else _EOS
        prev_p = poslist[k - 1] if k > 0 else _BOS
        next_p = poslist[k + 1] if k + 1 < nwords else _EOS
        f = [
            "b",
            f"c={c0}", f"c-1={c_1}", f"c+1={c1}", f"c-2={c_2}", f"c+2={c2}",
            f"cc-1={c_1}{c0}", f"cc+1={c0}{c1}", f"cc-2={c_2}{c_1}", f"cc+2={c1}{c2}",
            f"ccc={c_1}{c0}{c1}",
            f"t={types[j - 1]}{types[j]}{types[j + 1]}",
            f"wp={wp[i + 1]}", f"wp-1={wp[i]}", f"wp+1={wp[i + 2]}",
            f"w={wd[i]}", f"pw={prev_w}", f"nw={next_w}", f"pp={prev_p}|{next_p}",
        ]
        if version >= 2:
            f.extend(_address_features(i, j, chars, types, sfx, runs))
        if lexicon is not None and lexicon[i]:
            f.extend(lexicon[i])
        feats.append(f)
    return feats


def _number_runs(types: Sequence[str]) -> list[str]:
    """Per padded position: "1" for a digit or Chinese numeral, else "0"."""
    return ["1" if t in ("D", "N") else "0" for t in types]


def _address_features(i: int, j: int, chars: Sequence[str], types: Sequence[str],
                      sfx: Sequence[str], runs: Sequence[str]) -> list[str]:
    """Version-2 cues for address spans: suffix chars around i, chars at +-3, number runs."""
    out = [f"sx={sfx[j - 1]}{sfx[j]}{sfx[j + 1]}", f"c-3={chars[j - 3] if j >= 3 else _BOS2}",
           f"c+3={chars[j + 3] if j + 3 < len(chars) else _EOS2}"]
    if runs[j] == "1":  # inside a number: what comes after the run (3号, 18楼, 2期)
        k = j
        while k < len(runs) and runs[k] == "1":
            k += 1
        out.append(f"nf={chars[k] if k < len(chars) else _EOS2}")
    elif runs[j - 1] == "1":  # right after a number
        out.append(f"an={chars[j]}")
    return out
