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


def decompression_bomb_pdf(path, *, inflated_gb=4):
    """A one-page PDF whose content stream (FlateDecode twice) inflates to `inflated_gb`
    GB of spaces; the file itself is a few kilobytes. Returns its size in bytes."""
    stream = _flate_twice(inflated_gb * 1024 * MB)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.7\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(body)
    return len(body)
