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

# decode: the same text in every encoding the decoder tells apart, without
# a byte-order mark where files come without one, and damaged copies.
TRADITIONAL = [
    "長三角每週要訊\n\n2020 年第 192 期\n\n上海啟用全國首家市域物聯網運營中心\n",
    "江蘇省科技廳印發《江蘇省科技創新券試點方案》，蘇州、無錫率先試點，對科技型中小企業給予最高 50 萬元補助。\n",
    "發布時間：2023-06-09　來源：臺灣省政府辦公廳\n上海市發展和改革委員會發布通知，臨港新片區啟動建設。\n",
]
for i, t in enumerate(TRADITIONAL):
    write("decode", f"trad-{i}-big5.txt", t.encode("big5"))
    write("decode", f"trad-{i}-utf8.txt", t.encode("utf-8"))
    write("decode", f"trad-{i}-gbk.txt", t.encode("gb18030"))
for path in samples:
    stem = path.stem[:3]
    head = path.read_text(encoding="utf-8")[:600]
    write("decode", f"{stem}-utf8.txt", head.encode("utf-8"))
    write("decode", f"{stem}-gbk.txt", head.encode("gb18030"))
    write("decode", f"{stem}-utf16le-nobom.txt", head.encode("utf-16-le"))
    write("decode", f"{stem}-utf16be-nobom.txt", head.encode("utf-16-be"))
    write("decode", f"{stem}-utf16le-bom.txt", b"\xff\xfe" + head.encode("utf-16-le"))
    gbk = bytearray(head.encode("gb18030"))
    gbk[len(gbk) // 2] = 0xFF
    write("decode", f"{stem}-gbk-corrupt.txt", bytes(gbk))
    write("decode", f"{stem}-control.txt", head.replace("\n\n", "\n\x0c\x0b\x1b\n", 2).encode("utf-8"))
write("decode", "ascii-gbk-rare.txt", ("Minutes of the meeting, 2020-05-01.\n" * 4 + "Speaker: 喆\n").encode("gb18030"))
print("seeds written to", out)
