"""QR codes drawn on the server as SVG (segno, pure Python): a badge's code for the check-in
scan, a certificate's verification address. No image is fetched and no script draws them."""

import io

import segno


def svg(text: str, *, scale: int = 4, title: str = "") -> str:
    """The QR code of `text` as an inline <svg> element (error correction M, the 4-module quiet
    zone the standard asks for, ISO/IEC 18004 §6.3.8). `title` names it for screen readers."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, nl=False,
        title=title or None, svgclass="qr", lineclass=None,
    )  # fmt: skip
    return out.getvalue().decode()
