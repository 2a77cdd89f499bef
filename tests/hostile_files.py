"""Hostile files, built when needed and never committed: tests and bench/hostile.py."""

import zlib

MB = 1024 * 1024


def _adler32_of_spaces(count):
    """zlib's Adler-32 checksum of `count` spaces, without making them."""
    modulus, byte = 65521, ord(" ")
    a = (1 + count * byte) % modulus
    b = (count + byte * count * (count + 1) // 2) % modulus
    return (b << 16) | a


def _flate_twice(inflated_bytes, block=8 * MB):
    """`inflated_bytes` spaces (a multiple of `block`), compressed twice with zlib, in
    constant memory and a second or two: after a full flush zlib compresses the same block
    to the same bytes, so the inner stream is that piece repeated, then the checksum."""
    blocks = inflated_bytes // block
    spaces = b" " * block
    inner = zlib.compressobj(9)
    first = inner.compress(spaces) + inner.flush(zlib.Z_FULL_FLUSH)
    repeated = inner.compress(spaces) + inner.flush(zlib.Z_FULL_FLUSH)
    final_block = inner.flush()[:-4]  # without the checksum of just two blocks
    outer = zlib.compressobj(9)
    parts = [outer.compress(first)]
    parts += [outer.compress(repeated) for _ in range(blocks - 1)]
    parts.append(
        outer.compress(final_block + _adler32_of_spaces(blocks * block).to_bytes(4, "big"))
    )
    parts.append(outer.flush())
    return b"".join(parts)


def _pdf(objects):
    """A PDF file's bytes from its objects (numbered from 1; 1 is the catalog)."""
    parts, offsets, size = [b"%PDF-1.7\n"], [], 9
    for number, content in enumerate(objects, start=1):
        offsets.append(size)
        parts.append(b"%d 0 obj\n" % number + content + b"\nendobj\n")
        size += len(parts[-1])
    parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    parts += [b"%010d 00000 n \n" % offset for offset in offsets]
    parts.append(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, size)
    )
    body = b"".join(parts)
    return body


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>"
)


def _one_page(stream, filters=b"/FlateDecode"):
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE,
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
        FONT,
    ]


def decompression_bomb_pdf(path, *, inflated_gb=4):
    """A one-page PDF whose content stream (FlateDecode twice) inflates to `inflated_gb`
    GB of spaces; the file itself is a few kilobytes. Returns its size in bytes."""
    stream = _flate_twice(inflated_gb * 1024 * MB)
    body = _pdf(_one_page(stream, b"[/FlateDecode /FlateDecode]"))
    path.write_bytes(body)
    return len(body)


def many_pages_pdf(path, *, pages=20_000):
    """A PDF of `pages` pages that all show the same short text."""
    kids = b" ".join(b"%d 0 R" % (6 + n) for n in range(pages))
    text = zlib.compress(b"BT /F1 12 Tf 72 720 Td (1. A page.) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< >>",  # unused: keeps the numbering of _one_page
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(text) + text + b"\nendstream",
        FONT,
        *([PAGE] * pages),
    ]
    body = _pdf(objects)
    path.write_bytes(body)
    return len(body)


def text_flood_pdf(path, *, characters=4_000_000):
    """One page drawing `characters` characters one by one: a small file that costs a
    parser a Python object, and time, for each of them."""
    operation = b"(x) Tj "
    stream = zlib.compress(b"BT /F1 1 Tf 0 0 Td " + operation * characters + b"ET", 9)
    body = _pdf(_one_page(stream))
    path.write_bytes(body)
    return len(body)
