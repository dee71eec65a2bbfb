"""Medians from the pace histograms (articles.models.PaceDay).

A bucket holds the gaps from `seconds` up to the next bucket: whole seconds below two minutes,
ten seconds below ten minutes, a minute below an hour (articles.rollup_triggers.pace_bucket). The
median is the lower median (the middle gap of an odd count, the smaller of the two middle
ones of an even count), given as the bucket it falls in: exact to the second below two minutes.
"""

from dataclasses import dataclass


def bucket_width(seconds: int) -> int:
    if seconds < 120:
        return 1
    if seconds < 600:
        return 10
    return 60


def bucket_of(milliseconds: int) -> int:
    """The bucket (seconds) of a gap in whole milliseconds: pace_bucket() in Python."""
    if milliseconds < 120_000:
        return milliseconds // 1000
    if milliseconds < 600_000:
        return milliseconds // 10_000 * 10
    return milliseconds // 60_000 * 60


@dataclass(frozen=True)
class Median:
    seconds: int  # the bucket's lower bound
    timed: int  # how many gaps it is the median of

    @property
    def width(self) -> int:
        return bucket_width(self.seconds)

    def __str__(self) -> str:
        if self.width == 1:
            return f"{self.seconds} s"
        return f"{self.seconds}\N{EN DASH}{self.seconds + self.width} s"


def lower_median(histogram: dict[int, int], *, below: int) -> Median | None:
    """The lower median of the gaps shorter than `below` seconds (breaks left out), or None
    when there are none. `histogram` maps a bucket's seconds to its count."""
    buckets = sorted(
        (seconds, n) for seconds, n in histogram.items() if seconds < below and n > 0
    )
    timed = sum(n for _, n in buckets)
    if not timed:
        return None
    middle = (timed - 1) // 2  # 0-based index of the lower median
    seen = 0
    for seconds, n in buckets:
        seen += n
        if seen > middle:
            return Median(seconds=seconds, timed=timed)
    raise AssertionError("unreachable: the counts add up to `timed`")
