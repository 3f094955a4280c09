"""Hostile XLSX files built in memory for the limit tests: a huge shared string in a small zip,
a member that lies about its size, formulas with and without cached results."""

import io
import re
import struct
import zipfile

_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes], *, big: tuple[str, bytes, bytes, int] | None = None) -> bytes:
    """A zip of ``parts``; ``big`` = (name, head, tail, n): a member ``head + 'x' * n + tail``
    written in chunks, so that the test never holds the unpacked text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        if big is not None:
            name, head, tail, n = big
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(head)
                chunk = b"x" * (1 << 20)
                for _ in range(n // len(chunk)):
                    member.write(chunk)
                member.write(b"x" * (n % len(chunk)))
                member.write(tail)
    return out.getvalue()


def sheet_path(parts: dict[str, bytes], index: int = 1) -> str:
    return f"xl/worksheets/sheet{index}.xml"


def with_huge_shared_string(data: bytes, ref: str, n: int, sheet: int = 1) -> bytes:
    """``data`` with cell ``ref`` of sheet ``sheet`` pointing at a shared string of ``n`` 'x'."""
    parts = members(data)
    path = sheet_path(parts, sheet)
    xml = parts[path].decode()
    cell = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)')
    replacement = f'<c r="{ref}" t="s"><v>0</v></c>'
    if cell.search(xml):
        xml = cell.sub(replacement, xml, count=1)
    else:  # pragma: no cover - the tests point at written cells
        raise ValueError(f"no cell {ref}")
    parts[path] = xml.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>'
    )
    return rezip(parts, big=("xl/sharedStrings.xml", head, b"</t></si></sst>", n))


def with_cached_result(data: bytes, ref: str, result: str, sheet: int = 1) -> bytes:
    """``data`` with the formula cell ``ref`` given the cached result ``result`` (what Excel
    writes; openpyxl writes the formula with an empty result, `<v/>` or, with lxml installed,
    `<v></v>`)."""
    parts = members(data)
    path = sheet_path(parts, sheet)
    xml = parts[path].decode()
    pattern = re.compile(rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f>(?:<v\s*/>|<v></v>)')
    if not pattern.search(xml):  # pragma: no cover
        raise ValueError(f"no formula cell {ref}")
    parts[path] = pattern.sub(rf"\1<f>\2</f><v>{result}</v>", xml, count=1).encode()
    return rezip(parts)


def with_lying_size(data: bytes, name: str, declared: int) -> bytes:
    """``data`` whose member ``name`` declares ``declared`` bytes unpacked (in its local header
    and in the central directory) whatever it really holds."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    # Local file header: uncompressed size at offset 22.
    struct.pack_into("<I", buffer, info.header_offset + 22, declared)
    # Central directory record: signature, then the uncompressed size at offset 24.
    encoded = name.encode()
    position = 0
    while True:
        position = buffer.index(b"PK\x01\x02", position)
        name_length = struct.unpack_from("<H", buffer, position + 28)[0]
        if bytes(buffer[position + 46 : position + 46 + name_length]) == encoded:
            struct.pack_into("<I", buffer, position + 24, declared)
            break
        position += 4
    return bytes(buffer)


def with_entity_bomb(data: bytes, levels: int = 9, sheet: int = 1) -> bytes:
    """``data`` whose first inline string is a 10**``levels``-character entity expansion
    ("billion laughs"): a few hundred bytes of XML."""
    parts = members(data)
    path = sheet_path(parts, sheet)
    xml = parts[path].decode()
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, levels + 1)
    )
    xml = xml.replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1)
    xml = re.sub(r"<is><t>.*?</t></is>", f"<is><t>&a{levels};</t></is>", xml, count=1)
    parts[path] = xml.encode()
    return rezip(parts)
