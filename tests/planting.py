"""Real files with personal data planted in every part a published original can carry.

Each builder copies a seed file (so it still reads as the form it is) and plants one distinct value per part:
a mobile, an ID number or an e-mail address in turn. It returns ``{value: words that must name the part}``.
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from itertools import count
from pathlib import Path

from jixiao.privacy import id_check_char, is_uscc

from .conftest import FIXTURES, SEED

_serial = count(1)


def planted_value() -> str:
    """A fresh mobile, ID number or e-mail address, in turn, each distinct."""
    n = next(_serial)
    kind = n % 3
    if kind == 1:
        return f"1380000{n:04d}"
    if kind == 2:
        head = f"51172519850615{n:03d}"[:17]
        value = head + id_check_char(head)
        # One all-digit number in 31 also passes the 统一社会信用代码 check, and is then no ID: take the next.
        return value if not is_uscc(value) else planted_value()
    return f"clerk@mail{n}.example.com"


class Plants(dict):
    """``plant(words)``: a fresh value, remembered with the words that must name the part it is planted in."""

    def __call__(self, where: list[str]) -> str:
        value = planted_value()
        self[value] = where
        return value


def patch_zip(path: Path, changes: dict) -> None:
    """Rewrite a zip package: ``changes[name]`` is new bytes, or a function of the old bytes."""
    with zipfile.ZipFile(path) as old:
        items = {i.filename: old.read(i) for i in old.infolist()}
    for name, change in changes.items():
        items[name] = change(items.get(name, b"")) if callable(change) else change
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, content in items.items():
            new.writestr(name, content)


def _insert(marker: bytes, addition: str):
    return lambda old: old.replace(marker, addition.encode() + marker, 1)


def _content_type(part: str, kind: str):
    return _insert(b"</Types>", f'<Override PartName="/{part}" ContentType="{kind}"/>')


def _relationship(rid: str, kind: str, target: str, mode: str = ""):
    extra = f' TargetMode="{mode}"' if mode else ""
    return _insert(
        b"</Relationships>",
        f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/{kind}" Target="{target}"{extra}/>',
    )


# --- xlsx ---------------------------------------------------------------------------------------------------


def planted_xlsx(folder: Path) -> dict[str, list[str]]:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    path = folder / "自评表.xlsx"
    shutil.copy(SEED / "自评表.xlsx", path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    plants = plant = Plants()

    hidden = book.create_sheet("备用")
    hidden.sheet_state = "hidden"
    hidden["C7"] = f"经办人 {plant(['备用', 'C7'])}"
    book.create_sheet(f"联系{plant(['工作表名称'])}")
    sheet["Z40"].comment = Comment(f"请联系 {plant(['Sheet1', 'Z40', '批注'])}", "张三")
    sheet.oddHeader.center.text = f"制表人 {plant(['Sheet1', '页眉'])}"
    sheet.evenFooter.left.text = f"复核 {plant(['Sheet1', '偶数页页脚'])}"
    sheet.firstHeader.right.text = f"联系 {plant(['Sheet1', '首页页眉'])}"
    sheet.HeaderFooter.differentFirst = True
    sheet.HeaderFooter.differentOddEven = True
    book.defined_names["联系人"] = DefinedName("联系人", attr_text=f'"{plant(["定义的名称"])}"')
    validation = DataValidation(
        type="whole", prompt=f"咨询 {plant(['Sheet1', '工作表'])}", showInputMessage=True
    )
    sheet.add_data_validation(validation)
    validation.add("AA1")
    book.properties.creator = f"张三 {plant(['文档属性 creator'])}"
    book.properties.keywords = plant(["文档属性 keywords"])
    book.custom_doc_props.append(StringProperty(name="联系方式", value=plant(["自定义属性“联系方式”"])))
    book.save(path)

    company, manager = plant(["文档属性 Company"]), plant(["文档属性 Manager"])
    threaded, person, shape, alt, orphan, link = (
        plant(["Sheet1", "B2", "批注"]),
        plant(["批注人"]),
        plant(["Sheet1", "图形与文本框"]),
        plant(["Sheet1", "图形与文本框", "替代文字"]),
        plant(["共享字符串"]),
        plant(["链接"]),
    )
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        "<xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        "<xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="文本框 1" descr="签字人 {alt}"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>'
        "<xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>联系电话：</a:t></a:r><a:r><a:t>"
        f"{shape[:5]}</a:t></a:r><a:r><a:t>{shape[5:]}</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
        "<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )
    patch_zip(
        path,
        {
            "docProps/app.xml": _insert(
                b"</Properties>", f"<Company>某某公司 {company}</Company><Manager>{manager}</Manager>"
            ),
            "xl/threadedComments/threadedComment1.xml": (
                '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                f'<threadedComment ref="B2" id="{{00000000-0000-0000-0000-000000000001}}">'
                f"<text>回复：手机 {threaded}</text></threadedComment></ThreadedComments>"
            ).encode(),
            "xl/persons/person.xml": (
                '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                f'<person displayName="李四" id="{{00000000-0000-0000-0000-000000000002}}" userId="{person}"/>'
                "</personList>"
            ).encode(),
            "xl/drawings/drawing9.xml": drawing.encode(),
            "xl/worksheets/_rels/sheet1.xml.rels": lambda old: (
                old
                or b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
            ).replace(
                b"</Relationships>",
                b'<Relationship Id="rIdT9" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
                b'Target="../threadedComments/threadedComment1.xml"/>'
                b'<Relationship Id="rIdD9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
                b'Target="../drawings/drawing9.xml"/>'
                + f'<Relationship Id="rIdL9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
                f'Target="mailto:{link}" TargetMode="External"/>'.encode()
                + b"</Relationships>",
            ),
            "xl/sharedStrings.xml": lambda old: (
                old
                or b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>'
            ).replace(b"</sst>", f"<si><t>无人引用的 {orphan}</t></si></sst>".encode()),
            "[Content_Types].xml": _content_type(
                "xl/drawings/drawing9.xml", "application/vnd.openxmlformats-officedocument.drawing+xml"
            ),
        },
    )
    return plants


# --- docx ---------------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def planted_docx(folder: Path) -> dict[str, list[str]]:
    from docx import Document
    from docx.oxml import parse_xml

    path = folder / "自评报告.docx"
    doc = Document(str(SEED / "自评报告.docx"))
    plants = plant = Plants()

    paragraphs = len(doc.paragraphs)
    para = doc.add_paragraph("联系人手机：")
    value = plant([f"第 {paragraphs + 1} 段"])
    para.add_run(value[:4])
    para.add_run(value[4:])  # split across runs, as Word does
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    section.first_page_header.paragraphs[0].text = f"首页 {plant(['第 1 节首页页眉'])}"
    section.even_page_footer.paragraphs[0].text = f"偶数页 {plant(['第 1 节偶数页页脚'])}"
    section.header.paragraphs[0].text = f"页眉 {plant(['第 1 节页眉'])}"
    section.footer.paragraphs[0].text = f"页脚 {plant(['第 1 节页脚'])}"
    tables = len(doc.tables)
    outer = doc.add_table(rows=2, cols=2)
    outer.cell(0, 1).text = f"联系 {plant([f'表 {tables + 1} 第 1 行 第 2 列'])}"
    inner = outer.cell(1, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = f"嵌套 {plant([f'表 {tables + 1} 第 2 行 第 1 列', '嵌套表'])}"
    comment_para = doc.add_paragraph("请核对")
    doc.add_comment(comment_para.runs, text=f"问 {plant(['批注'])}", author="王五")
    doc.core_properties.author = f"赵六 {plant(['文档属性 creator'])}"
    doc.core_properties.last_modified_by = plant(["文档属性 lastModifiedBy"])
    paragraphs = len(doc.paragraphs)
    deleted, inserted, box, alt = (
        plant([f"第 {paragraphs + 1} 段", "修订删除的文字"]),
        plant([f"第 {paragraphs + 2} 段"]),
        plant([f"第 {paragraphs + 3} 段", "文本框"]),
        plant([f"第 {paragraphs + 4} 段", "替代文字"]),
    )
    body = doc.element.body
    sect = body[-1]
    for xml in (
        f'<w:p xmlns:w="{W}"><w:r><w:t>原为</w:t></w:r><w:del w:id="91" w:author="x" w:date="2024-01-01T00:00:00Z">'
        f"<w:r><w:delText>{deleted[:3]}</w:delText></w:r><w:r><w:delText>{deleted[3:]}</w:delText></w:r></w:del></w:p>",
        f'<w:p xmlns:w="{W}"><w:ins w:id="92" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><w:t>新增 {inserted}'
        "</w:t></w:r></w:ins></w:p>",
        f'<w:p xmlns:w="{W}" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        "<w:r><w:pict><wps:txbx><w:txbxContent><w:p><w:r><w:t>"
        f"文本框 {box}</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:pict></w:r></w:p>",
        f'<w:p xmlns:w="{W}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f'<w:r><w:drawing><wp:inline><wp:docPr id="77" name="图片 77" descr="签名 {alt}"/></wp:inline></w:drawing>'
        "</w:r></w:p>",
    ):
        sect.addprevious(parse_xml(xml))
    doc.save(str(path))

    footnote, endnote, company, custom = (
        plant(["脚注"]),
        plant(["尾注"]),
        plant(["文档属性 Company"]),
        plant(["自定义属性“经办人”"]),
    )
    notes = (
        '<w:{kind}s xmlns:w="' + W + '"><w:{kind} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}>'
        "</w:{kind}s>"
    )
    patch_zip(
        path,
        {
            "word/footnotes.xml": notes.format(kind="footnote", text=f"注 {footnote}").encode(),
            "word/endnotes.xml": notes.format(kind="endnote", text=f"尾注 {endnote}").encode(),
            "docProps/app.xml": _insert(b"</Properties>", f"<Company>{company}</Company>"),
            "docProps/custom.xml": (
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="经办人">'
                f"<vt:lpwstr>{custom}</vt:lpwstr></property></Properties>"
            ).encode(),
            "word/_rels/document.xml.rels": lambda old: _relationship(
                "rIdF9", "officeDocument/2006/relationships/footnotes", "footnotes.xml"
            )(_relationship("rIdE9", "officeDocument/2006/relationships/endnotes", "endnotes.xml")(old)),
            "[Content_Types].xml": lambda old: _content_type(
                "word/footnotes.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            )(
                _content_type(
                    "word/endnotes.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
                )(old)
            ),
        },
    )
    return plants


# --- legacy xls ---------------------------------------------------------------------------------------------


def planted_xls(folder: Path) -> dict[str, list[str]]:
    import olefile
    import xlrd
    import xlwt

    plants = plant = Plants()

    source = xlrd.open_workbook(str(FIXTURES / "打分表.xls"))
    book = xlwt.Workbook(encoding="utf-8")
    for s in source.sheets():
        sheet = book.add_sheet(s.name)
        for r in range(s.nrows):
            for c in range(s.ncols):
                if s.cell_value(r, c) != "":
                    sheet.write(r, c, s.cell_value(r, c))
        # xlwt's setters break on str under Python 3; the record writer itself takes str.
        sheet._Worksheet__header_str = f"制表 {plant([s.name, '页眉'])}"
        sheet._Worksheet__footer_str = f"复核 {plant([s.name, '页脚'])}"
    extra = book.add_sheet(f"联系{plant(['工作表名称'])}")
    extra.write(4, 2, f"经办人 {plant(['C5'])}")
    buffer = io.BytesIO()
    book.save(buffer)
    workbook = olefile.OleFileIO(io.BytesIO(buffer.getvalue())).openstream("Workbook").read()
    author, title = plant(["文档属性 author"]), plant(["文档属性 title"])
    path = folder / "打分表.xls"
    path.write_bytes(compound_file({"Workbook": workbook, "\x05SummaryInformation": summary(author, title)}))
    return plants


def summary(author: str, title: str) -> bytes:
    """A SummaryInformation property set with a code page, a title and an author (MS-OLEPS)."""

    def string(text: str) -> bytes:
        raw = text.encode("ascii") + b"\0"
        raw += b"\0" * (-len(raw) % 4)
        return struct.pack("<II", 0x1E, len(text) + 1) + raw

    props = [(1, struct.pack("<HHH2x", 0x02, 0, 1252)), (2, string(title)), (4, string(author))]
    offset, table, body = 8 + 8 * len(props), b"", b""
    for pid, value in props:
        table += struct.pack("<II", pid, offset + len(body))
        body += value
    section = struct.pack("<II", 8 + len(table) + len(body), len(props)) + table + body
    fmtid = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
    header = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, b"\0" * 16, 1) + fmtid + struct.pack("<I", 48)
    return header + section


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, no mini stream: every stream padded to 4,096 bytes at least)."""
    end, free, fat_mark = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    sectors: list[bytes] = []
    fat: list[int] = []
    starts, sizes = {}, {}
    for name, data in streams.items():
        data = data + b"\0" * max(0, 4096 - len(data))
        sizes[name] = len(data)  # below 4,096 bytes a reader would look in the mini stream
        data += b"\0" * (-len(data) % 512)
        starts[name] = len(sectors)
        n = len(data) // 512
        for i in range(n):
            sectors.append(data[i * 512 : (i + 1) * 512])
            fat.append(len(sectors) if i < n - 1 else end)

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return struct.pack(
            "<64sHBBIII16sIQQII",
            encoded,
            len(encoded),
            kind,
            1,
            free,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
        )[:124] + struct.pack("<I", 0)

    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    directory = entry("Root Entry", 5, 1, free, end, 0)
    for i, name in enumerate(names, start=1):
        right = i + 1 if i < len(names) else free
        directory += entry(name, 2, free, right, starts[name], sizes[name])
    directory += b"\0" * (-len(directory) % 512)
    dir_start = len(sectors)
    for i in range(len(directory) // 512):
        sectors.append(directory[i * 512 : (i + 1) * 512])
        fat.append(len(sectors) if i < len(directory) // 512 - 1 else end)
    fat_sectors = (len(fat) + 1 + 127) // 128
    fat_start = len(sectors)
    fat += [fat_mark] * fat_sectors
    fat += [free] * (-len(fat) % 128)
    for i in range(fat_sectors):
        sectors.append(struct.pack("<128I", *fat[i * 128 : (i + 1) * 128]))
    difat = [fat_start + i for i in range(fat_sectors)] + [free] * (109 - fat_sectors)
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\0" * 16
        + struct.pack(
            "<HHHHH6sIIIIIIIII",
            0x3E,
            3,
            0xFFFE,
            9,
            6,
            b"\0" * 6,
            0,
            fat_sectors,
            dir_start,
            0,
            4096,
            end,
            0,
            end,
            0,
        )
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(sectors)


# --- web page and PDF ---------------------------------------------------------------------------------------


def planted_html(folder: Path) -> dict[str, list[str]]:
    """An ".xls" that is a web page, as finance systems export: the seed's target sheet as an HTML table."""
    from jixiao.forms.workbook import read_workbook

    plants = plant = Plants()

    [grid] = read_workbook((SEED / "自评表.xlsx").read_bytes(), "自评表.xlsx")
    rows = "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in row) + "</tr>" for row in grid.rows
    )
    split = plant(["网页文字"])
    page = (
        '<html><head><meta charset="utf-8"><title>自评表</title></head><body>'
        f"<p>填表人手机：<span>{split[:5]}</span><b>{split[5:]}</b></p>"
        f"<!-- 联系人 {plant(['网页注释'])} -->"
        f'<table title="{plant(["网页属性 table title"])}">{rows}'
        f"<tr><td>备注</td><td>联系 {plant(['表1'])}</td></tr></table>"
        f'<img alt="签名 {plant(["网页属性 img alt"])}" src="sign.png"></body></html>'
    )
    (folder / "自评表.xls").write_text(page, encoding="utf-8")
    return plants


def planted_pdf(folder: Path) -> dict[str, list[str]]:
    """A two-page PDF with a text layer and document information, written by hand (PDF 1.4)."""
    plants = plant = Plants()

    first, second, author, title = (
        plant(["第 1 页"]),
        plant(["第 2 页"]),
        plant(["文档属性 Author"]),
        plant(["文档属性 Title"]),
    )
    (folder / "附件.pdf").write_bytes(simple_pdf([f"Contact {first}", f"Page two {second}"], author, title))
    return plants


def simple_pdf(
    pages: list[str],
    author: str = "",
    title: str = "",
    notes: dict[int, str] | None = None,
    picture_on: set[int] = frozenset(),
    attachment: bool = False,
) -> bytes:
    """A PDF 1.4 written by hand: a text line per page, the document information, and on request a note
    (``notes``: page number -> its text), a one-pixel picture on some pages, an attached file."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]

    def add(body: str) -> int:
        objects.append(body)
        return len(objects)

    kids = []
    for number, text in enumerate(pages, start=1):
        drawing = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
        resources = "/Font << /F1 3 0 R >>"
        if number in picture_on:
            image = add(
                "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                "/BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream"
            )
            drawing += " q 10 0 0 10 72 600 cm /Im1 Do Q"
            resources += f" /XObject << /Im1 {image} 0 R >>"
        content = add(f"<< /Length {len(drawing.encode())} >>\nstream\n{drawing}\nendstream")
        annots = ""
        if notes and number in notes:
            note = add(f"<< /Type /Annot /Subtype /Text /Rect [72 500 92 520] /Contents ({notes[number]}) >>")
            annots = f" /Annots [{note} 0 R]"
        page = add(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
            f"/Resources << {resources} >>{annots} >>"
        )
        kids.append(f"{page} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    if attachment:
        embedded = add("<< /Type /EmbeddedFile /Length 5 >>\nstream\nhello\nendstream")
        spec = add(f"<< /Type /Filespec /F (a.txt) /EF << /F {embedded} 0 R >> >>")
        objects[0] = (
            f"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.txt) {spec} 0 R] >> >> >>"
        )
    info = add(f"<< /Author ({author}) /Title ({title}) >>")
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
