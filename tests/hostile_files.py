"""Hostile uploads, built by hand: XLSX archives that declare or hold far more than they weigh,
and JSON nested deeper than any reader should follow."""

import io
import struct
import zipfile
import zlib

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
PACKAGE_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)


def workbook_xml(sheet: str = "Sheet1") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def inline_row(number: int, cells: dict[str, object]) -> str:
    """`<row>` with inline strings and numbers, keyed by column letter."""
    parts = []
    for column, value in cells.items():
        reference = f"{column}{number}"
        if isinstance(value, str):
            parts.append(f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            parts.append(f'<c r="{reference}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(parts)}</row>'


def sheet_xml(rows: list[str], *, dimension: str = "A1", padding: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(rows)}</sheetData>{padding}'
        "</worksheet>"
    )


def workbook_archive(
    sheet: str, *, sheet_name: str = "Sheet1", workbook_part: bytes | None = None
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)
        archive.writestr("xl/workbook.xml", workbook_part or workbook_xml(sheet_name).encode())
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELATIONSHIPS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def declared_dimension_bomb(*rows: dict[str, object], sheet_name: str = "Sheet1") -> bytes:
    """A workbook of about 1.5 KB that declares Excel's largest sheet (A1:XFD1048576) and holds
    `rows` (from row 1) and the sheet's very last cell: a reader that trusts the dimension, or
    fills in the rows between, builds a million rows of up to sixteen thousand cells."""
    held = [inline_row(number, cells) for number, cells in enumerate(rows, start=1)]
    return workbook_archive(
        sheet_xml([*held, inline_row(1048576, {"XFD": "x"})], dimension="A1:XFD1048576"),
        sheet_name=sheet_name,
    )


def inflating_workbook(header: dict[str, object], *, megabytes: int = 16) -> bytes:
    """A workbook whose sheet is padded with `megabytes` of blanks: it weighs some kilobytes
    and inflates a thousand times."""
    return workbook_archive(sheet_xml([inline_row(1, header)], padding=" " * (megabytes << 20)))


def understated_workbook(rows: list[dict[str, object]], *, megabytes: int = 64) -> bytes:
    """A valid workbook whose workbook part hides `megabytes` of blanks after its end, while the
    archive declares for that part the size and checksum of the valid part alone: whoever reads
    the part whole inflates all of it before the declared size cuts it short."""
    valid = workbook_xml().encode()
    archive = bytearray(
        workbook_archive(
            sheet_xml([inline_row(number, row) for number, row in enumerate(rows, start=1)]),
            workbook_part=valid + b" " * (megabytes << 20),
        )
    )
    name = b"xl/workbook.xml"
    # Local file headers: signature, CRC-32 at 14, size at 22, name length at 26, name at 30;
    # central directory entries: CRC-32 at 16, size at 24, name length at 28, name at 46.
    for signature, crc_at, size_at, length_at, name_at in (
        (b"PK\x03\x04", 14, 22, 26, 30),
        (b"PK\x01\x02", 16, 24, 28, 46),
    ):
        start = archive.find(signature)
        while start != -1:
            length = struct.unpack_from("<H", archive, start + length_at)[0]
            if archive[start + name_at : start + name_at + length] == name:
                struct.pack_into("<I", archive, start + crc_at, zlib.crc32(valid))
                struct.pack_into("<I", archive, start + size_at, len(valid))
            start = archive.find(signature, start + 4)
    return bytes(archive)


def nested_json(depth: int = 100_000) -> bytes:
    """A list in a list in a list…: Python's json module recurses once per level."""
    return b"[" * depth + b"]" * depth
