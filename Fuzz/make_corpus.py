#!/usr/bin/env python3
"""Writes the seed corpus for Fuzz/run.sh and FuzzReplayTests: small hostile rosters (invented
names, generated ID numbers with valid GB 11643 check digits). Run from the repository root:
python3 Fuzz/make_corpus.py

The corpus also keeps, as regression-*.csv, inputs on which the fuzzer once found a property
violation; they are not generated here.
"""
import os

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def make_id(region, birth, serial):
    body = region + birth + f"{serial:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


ID1 = make_id("330602", "19900101", 123)
ID2 = make_id("330683", "19851231", 7)
ID3 = make_id("330624", "19780315", 42)

HEADER = "身份证号,姓名,工作单位,备注\n"
ROWS = [f"{ID1},张测试,越城测试有限公司,无\n", f"{ID2},李样例,\"嵊州样例厂,二车间\",\"说\"\"好\"\"\"\n",
        f"{ID3},王示范,新昌示范公司,\"两行\n备注\"\n"]


def utf8(text):
    return text.encode("utf-8")


CASES = {
    "plain-utf8.csv": utf8(HEADER + "".join(ROWS)),
    "bom-crlf.csv": b"\xef\xbb\xbf" + utf8((HEADER + "".join(ROWS)).replace("\n", "\r\n")),
    "spectrum-comma-in-quotes.csv": utf8('first,last,address\nJohn,Doe,"120 any st., ""Anytown"""\n'),
    "spectrum-empty-fields.csv": utf8('a,b,c\n1,"",""\n2,3,4\n,,\n""\n'),
    "spectrum-newlines.csv": utf8('a,b,c\n1,2,3\n"Once upon \na time",5,6\r\n7,8,9\r\n'),
    "gb18030.csv": (HEADER + f"{ID1},䶮𠮷,越城,À\n" + ROWS[1]).encode("gb18030"),
    "gb18030-bom.csv": b"\x84\x31\x95\x33" + (HEADER + ROWS[0]).encode("gb18030"),
    "utf16le-excel.txt": b"\xff\xfe" + (HEADER + "".join(ROWS)).replace(",", "\t").replace(
        "\n", "\r\n").encode("utf-16-le"),
    "utf16be.txt": b"\xfe\xff" + "a\tb\r\n中\t𠮷\r\n".encode("utf-16-be"),
    "utf16le-broken.txt": b"\xff\xfe" + "a\tb\r\n".encode("utf-16-le") + b"\x00\xd8A\x00\r\x00\n\x00x\x00",
    "bare-quote.csv": utf8(HEADER + f'{ID1},张"测试,公司,x\n' + ROWS[0]),
    "text-after-quote.csv": utf8(HEADER + f'{ID1},"张测试"x,公司,x\n' + ROWS[0]),
    "unterminated-mid.csv": utf8('1,a,b\n2,"x,y\n3,c,d\n4,e,f\n'),
    "unterminated-end.csv": utf8(HEADER + ROWS[0] + f'{ID2},"李样例,公司'),
    "quote-swallows.csv": utf8('a,b\n"x\n"y,1\nz,2\n"p""q"\n'),
    "long-field.csv": utf8("a,b\n" + "x" * 60 + ",1\n\"" + "y" * 50 + "\n2,3\n"),
    "sep-semicolon.csv": utf8("sep=;\n姓名;备注\n张测试;\"a;b\"\n"),
    "sep-tab-crlf.csv": utf8("sep=\t\r\n姓名\t备注\r\n张测试\tx\r\n"),
    "tab-sniff.tsv": utf8("姓名\t身份证号\n张测试\t" + ID1 + "\n"),
    "mixed-line-ends.csv": utf8("a,b\r\n1,2\r3,4\n5,\"x\ry\"\r\n\r\r\n6,7"),
    "lone-cr.csv": utf8("a,b\r1,2\r3,4\r"),
    "utf8-with-gb-row.csv": utf8(HEADER + ROWS[0]) + "王示范".encode("gb18030") + utf8(",x,y,z\n" + ROWS[2]),
    "invalid-utf8-tail.csv": utf8("a,b\n中,") + b"\xe4\xb8",
    "controls.csv": utf8("a,b\n" + "x" * 300 + ",\"\x00\x01\x1f\"\n\x07bell,\x1b[1m\n=cmd,@x\n-12,+3.5\n"),
    "formulas.csv": utf8("a,b\n=1+1,\"=HYPERLINK(\"\"x\"\")\"\n＝1,－1\n\t=x,'ok\n" + ID1 + "," + ID2.lower() + "\n"),
    "bom-only.csv": b"\xef\xbb\xbf",
    "empty.csv": b"",
    "blank-lines.csv": utf8("\n\r\n\n"),
    "xlsx-signature.bin": b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20,
    "xls-signature.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20,
    "html-table.xls": utf8("<html><body><table><tr><td>姓名</td></tr></table></body></html>\n"),
    "sep-like-cells.csv": utf8('"sep=,",b\n"\ufeffx",<td>\n'),
}

directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
os.makedirs(directory, exist_ok=True)
for name, data in CASES.items():
    with open(os.path.join(directory, name), "wb") as out:
        out.write(data)
print(f"wrote {len(CASES)} files to {directory}")
