#!/usr/bin/env python3
"""Suggest short forms for regions/stoplist.csv (scope `short`).

County and town short forms are derived by rule from the GB/T 2260 tables
(浦东新区 -> 浦东, 朱家角镇 -> 朱家角). Some of them are ordinary words
(资源县 -> 资源, 合作市 -> 合作, 建设镇 -> 建设) that would be read as places.
This script lists the derived short forms that jieba's dictionary (jieba 0.42.1,
MIT licence, `pip install jieba`) knows as frequent non-place words. It is a
one-off aid, not part of the build: review its output by hand, keep real
places that jieba mis-tags (仙桃, 恩施), and append the rest to
regions/stoplist.csv as `word,short,note`.

Usage: python3 dictionaries/tools/stoplist_candidates.py > candidates.txt
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DICT = os.path.dirname(HERE)
DIV = os.path.join(DICT, "divisions")

try:
    import jieba
except ImportError:
    sys.exit("needs jieba: pip install jieba")

jd = {}
with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf8") as f:
    for line in f:
        w, freq, pos = line.split()
        jd[w] = (int(freq), pos)

ethnic = [r["word"] for r in csv.DictReader(open(os.path.join(DICT, "words.csv"), encoding="utf8")) if r["list"] == "ethnic"]
ethnic.sort(key=len, reverse=True)
stop = {r["word"] for r in csv.DictReader(open(os.path.join(DICT, "regions", "stoplist.csv"), encoding="utf8"))}


def strip_ethnic(s):
    changed = True
    while changed:
        changed = False
        for e in ethnic:
            if s.endswith(e) and len(s) - len(e) >= 2:
                s, changed = s[: -len(e)], True
    return s


def county_short(n):
    for suf in ("自治县", "自治旗"):
        if n.endswith(suf):
            return strip_ethnic(n[: -len(suf)])
    for suf in ("新区", "林区", "特区", "区", "县", "市", "旗"):
        if n.endswith(suf) and len(n) - len(suf) >= 2:
            return n[: -len(suf)]


def town_short(n):
    for suf in ("民族乡", "街道", "新镇", "镇", "乡"):
        if n.endswith(suf):
            b = n[: -len(suf)]
            if suf == "民族乡":
                b = strip_ethnic(b)
            if len(b) >= 2:
                return b


GENERIC = set("n v vn a ad an d f s m b nz t r c p q l i j vd z u nrfg ng mq vg ag dg tg y e o k h x zg g uj".split())
found = {}
for r in csv.DictReader(open(os.path.join(DIV, "areas.csv"), encoding="utf8")):
    s = county_short(r["name"])
    if s and s in jd and s not in stop:
        f, p = jd[s]
        if (p in GENERIC and f >= 150) or (p in ("nr", "nrt") and f >= 500):
            found[s] = ("county", f, p)
for r in csv.DictReader(open(os.path.join(DIV, "streets.csv"), encoding="utf8")):
    s = town_short(r["name"])
    if s and s in jd and s not in stop and s not in found:
        f, p = jd[s]
        if (p in GENERIC and f >= 100) or (p in ("nr", "nrt") and f >= 300):
            found[s] = ("town", f, p)
for s, (level, f, p) in sorted(found.items(), key=lambda x: (x[1][0], -x[1][1])):
    print(f"{s},short,common word (jieba {p} {f}; {level})")
