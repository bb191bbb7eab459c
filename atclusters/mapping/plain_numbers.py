"""Many floats at once as `core.cells.plain_number` writes one: 15 significant digits, correctly
rounded, positional notation, no trailing zeros, "0" for zeros, "" for NaN and infinities.

Python formats a double to 15 digits with exact big-number arithmetic (David Gay's dtoa; its
floating-point shortcut stops at 14 digits), about half a microsecond a number: a 900,000-cell
table took 0.4 s. Here NumPy finds each number's 15 digits and exponent in 80-bit extended
precision and lays them out in fixed-width cells, a group of cells with the same sign and
exponent at a time; blanks are then deleted. The digits are exact wherever the scaled value is
not within 2e-4 of a rounding tie (the extended product is off by at most 1.1e-4); those few
numbers are formatted by Python's exact `%.14e`. Rows with a number whose positional text would
be long (below 1e-30 or from 1e31) take `plain_number` itself.
"""

from collections.abc import Iterator

import numpy as np

from atclusters.core.cells import plain_number

DIGITS = 15
EMIN, EMAX = -30, 30  # decimal exponents written here; rows with others go to plain_number
TIE_MARGIN = 2e-4
EXTENDED = np.finfo(np.longdouble).nmant >= 63  # x86 and ARM; not where long double is double
CELLS_PER_BLOCK = 1 << 18
BLANK, COMMA = ord(" "), ord(",")
# 10^k in extended precision, exact up to 10^27, for k = 14 - exponent.
_LOWEST_POWER = 14 - EMAX - 1
_POWERS = np.array([f"1e{k}" for k in range(_LOWEST_POWER, 14 - EMIN + 2)], dtype=np.longdouble)


def _digits_and_exponents(magnitudes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For positive finite doubles: the 15-digit integer N (10^14 ≤ N < 10^15, as float64) and
    the exponent e with |x| ≈ N·10^(e−14), and which exponents lie outside EMIN..EMAX."""
    exponents = np.floor(np.log10(magnitudes)).astype(np.int64)
    np.clip(exponents, EMIN - 1, EMAX + 1, out=exponents)
    extended = magnitudes.astype(np.longdouble)
    scaled = extended * _POWERS[14 - exponents - _LOWEST_POWER]
    # log10 can be one off next to a power of ten.
    off = np.flatnonzero((scaled >= 1e15) | (scaled < 1e14))
    if len(off):
        exponents[off] += np.where(scaled[off] >= 1e15, 1, -1)
        np.clip(exponents, EMIN - 1, EMAX + 1, out=exponents)
        scaled[off] = extended[off] * _POWERS[14 - exponents[off] - _LOWEST_POWER]
    rounded = np.rint(scaled)
    numbers = rounded.astype(np.float64)
    near_tie = np.abs(np.abs(scaled - rounded) - 0.5) < TIE_MARGIN
    for index in np.flatnonzero(near_tie).tolist():
        mantissa, _, exponent = ("%.14e" % magnitudes[index]).partition("e")  # noqa: UP031 - printf's exact digits
        numbers[index] = float(mantissa.replace(".", ""))
        exponents[index] = int(exponent)
    carry = numbers >= 1e15
    numbers[carry] = 1e14
    exponents[carry] += 1
    return numbers, exponents, (exponents < EMIN) | (exponents > EMAX)


# "00" to "99" as two ASCII bytes in one uint16 (little- or big-endian alike once viewed).
_PAIRS = np.frombuffer("".join(f"{pair:02d}" for pair in range(100)).encode(), dtype=np.uint16)


def _digit_chars(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 15 digits of each N as ASCII, and the same with trailing zeros blanked; two digits
    at a time from the right."""
    pairs = np.empty((8, len(numbers)), dtype=np.uint16)
    for position in range(7, -1, -1):
        quotient = np.floor(numbers / 100)
        pairs[position] = _PAIRS[(numbers - 100 * quotient).astype(np.intp)]
        numbers = quotient
    chars = np.ascontiguousarray(pairs.T).view(np.uint8)[:, 1:]  # 16 digits, the first is 0
    length = DIGITS - np.argmax(chars[:, ::-1] != ord("0"), axis=1)
    trimmed = np.where(np.arange(DIGITS)[None, :] < length[:, None], chars, BLANK)
    return chars, trimmed.astype(np.uint8)


def _block_cells(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fixed-width ASCII cells (blank-padded, a comma last) and which cells are outside the
    exponents written here. Cells are laid out sorted by sign and exponent, so that each
    layout is written by slices, then put back in place."""
    finite = np.isfinite(values)
    at = np.flatnonzero(finite & (values != 0))
    numbers, exponents, outside_at = _digits_and_exponents(np.abs(values[at]))
    exponents[outside_at] = 0
    negative = values[at] < 0
    layout = (negative * 128 + exponents - EMIN).astype(np.int16)  # 0 and up
    order = np.argsort(layout, kind="stable")
    numbers, exponents, negative = numbers[order], exponents[order], negative[order]
    digits, trimmed = _digit_chars(numbers)
    lowest, highest = int(exponents.min(initial=0)), int(exponents.max(initial=0))
    width = max(DIGITS + 1, DIGITS + 1 - lowest, highest + 1) + 2  # a sign, and the comma
    laid = np.full((len(order), width), BLANK, dtype=np.uint8)
    starts = np.flatnonzero(np.diff(layout[order], prepend=-1, append=-1))
    for first, end in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True):
        exponent, sign = int(exponents[first]), int(negative[first])
        cells, chars, tail = laid[first:end, sign:], digits[first:end], trimmed[first:end]
        if sign:
            laid[first:end, 0] = ord("-")
        if exponent >= 0:
            whole = min(exponent + 1, DIGITS)
            cells[:, :whole] = chars[:, :whole]
            cells[:, whole : exponent + 1] = ord("0")
            if whole < DIGITS:
                cells[:, whole] = np.where(tail[:, whole] != BLANK, ord("."), BLANK)
                cells[:, whole + 1 : DIGITS + 1] = tail[:, whole:]
        else:
            lead = -exponent - 1
            cells[:, : 2 + lead] = ord("0")
            cells[:, 1] = ord(".")
            cells[:, 2 + lead : 2 + lead + DIGITS] = tail
    block = np.full((len(values), width), BLANK, dtype=np.uint8)
    block[:, -1] = COMMA
    block[finite & (values == 0), 0] = ord("0")
    block[at[order], :-1] = laid[:, :-1]
    outside = np.zeros(len(values), dtype=bool)
    outside[at] = outside_at
    return block, outside


def number_rows(values: np.ndarray) -> Iterator[bytes]:
    """Each row's cells as plain numbers joined by commas, in ASCII."""
    matrix = np.asarray(values, dtype=np.float64)
    rows, columns = matrix.shape
    if columns == 0 or not EXTENDED:
        for row in matrix.tolist():
            yield ",".join(plain_number(number) for number in row).encode("ascii")
        return
    block_rows = max(1, CELLS_PER_BLOCK // columns)
    for first in range(0, rows, block_rows):
        block = matrix[first : first + block_rows]
        cells, outside = _block_cells(block.ravel())
        data = cells.reshape(len(block), -1)
        slow = outside.reshape(block.shape).any(axis=1).tolist()
        for row, slow_row in enumerate(slow):
            if slow_row:
                numbers = block[row].tolist()
                yield ",".join(plain_number(number) for number in numbers).encode("ascii")
            else:
                yield data[row].tobytes().translate(None, b" ")[:-1]
