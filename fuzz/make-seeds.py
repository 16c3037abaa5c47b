#!/usr/bin/env python3
"""Write the fuzz seed corpora into fuzz/seeds/<target>/ from the sample
bulletins: small slices (a header, a table of contents, a PDF-extracted page,
sentences with amounts and dates) and the same slices re-encoded (GBK,
UTF-16 with BOM, CRLF, full-width digits), so that libFuzzer starts from
the shapes real bulletins have. Run from anywhere: python3 fuzz/make-seeds.py"""
import os, re, pathlib

here = pathlib.Path(__file__).resolve().parent
samples = sorted((here.parent / "corpus" / "sample").glob("*.txt"))
out = here / "seeds"

def write(target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)

FULL = str.maketrans("0123456789%.", "０１２３４５６７８９％．")

for path in samples:
    text = path.read_text(encoding="utf-8")
    stem = path.stem[:3]
    # Slices on line boundaries, about 1.5 KB of UTF-8 each: the head (header
    # and contents), the middle and the end (the date line).
    lines = text.split("\n")
    chunks, cur = [], []
    for line in lines:
        cur.append(line)
        if sum(len(l.encode()) + 1 for l in cur) > 1500:
            chunks.append("\n".join(cur))
            cur = []
    if cur:
        chunks.append("\n".join(cur))
    picks = {"head": chunks[0], "mid": chunks[len(chunks) // 2], "tail": chunks[-1]}
    for part, chunk in picks.items():
        write("ingest", f"{stem}-{part}.txt", chunk.encode("utf-8"))
    head = picks["head"]
    write("ingest", f"{stem}-head-gbk.txt", head.encode("gb18030"))
    write("ingest", f"{stem}-head-utf16le.txt", b"\xff\xfe" + head.encode("utf-16-le"))
    write("ingest", f"{stem}-head-crlf.txt", head.replace("\n", "\r\n").encode("utf-8"))
    write("ingest", f"{stem}-mid-fullwidth.txt", picks["mid"].translate(FULL).encode("utf-8"))
    # Sentences with numbers (amounts) and with dates, one seed each.
    sentences = re.findall(r"[^。\n]*[。]", text)
    amounts = [s for s in sentences if re.search(r"\d.*?(亿|万)?元|美元", s)]
    dates = [s for s in sentences if re.search(r"(\d{1,2}月\d{1,2}日|日前|近日|年)", s.replace(" ", ""))]
    for i, s in enumerate(amounts[:8]):
        write("amount", f"{stem}-{i}.txt", s.encode("utf-8"))
    for i, s in enumerate(dates[:6]):
        title = next((l.strip() for l in lines if l.strip()), "")
        # date target: 4 bytes of bulletin date, then title \n body.
        write("date", f"{stem}-{i}.bin", bytes([1, 30, 9, 22]) + (title + "\n" + s).encode("utf-8"))
print("seeds written to", out)
