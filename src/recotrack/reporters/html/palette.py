"""The report's colours: page colours, answer fills, status bands, and the WCAG contrast maths.

Every colour the page uses comes from here: the CSS reads the page colours as custom properties
(:data:`PAGE`), the charts' fills come from :func:`option_colour`, and text on a fill takes
:func:`ink_on`, which always reaches WCAG AA (4.5:1). :data:`TEXT_PAIRS` lists each text colour
the CSS sets on each background, so that a test can check every pair.
"""

from __future__ import annotations

import itertools

from recotrack.model import OptionRole

AA = 4.5
"""WCAG 2 level AA contrast for normal text."""
AAA = 7.0
"""WCAG 2 level AAA contrast for normal text."""

INK = "#1f2933"
PAPER = "#ffffff"
BLACK = "#000000"

PAGE: dict[str, str] = {
    "ink": INK,
    "paper": PAPER,
    "muted": "#52606d",
    "line": "#d9dee4",
    "soft": "#f5f7fa",
    "accent": "#1d4e89",
    "navy": "#0f2a47",
    "on-navy": "#d3e0ef",
    "on-navy-label": "#a9c4e4",
    "good": "#0c6b37",
    "warn": "#8a5a00",
    "bad": "#a61b1b",
    "focus": "#f5b700",
    "callout": "#eef4fb",
    "callout-warn": "#fdf6e3",
    "callout-warn-edge": "#d9a21b",
    "none-bg": "#f0f2f5",
    "none-edge": "#cbd2d9",
    "flag-bg": "#fff4d6",
    "flag-ink": "#6e4a00",
    "flag-edge": "#ecd08c",
    "kind-bg": "#eef0f3",
    "kind-edge": "#d5dae0",
    "stripe": "#eceff3",
    "tree": "#b8c0ca",
    "track": "#e4e7eb",
    "empty-edge": "#9aa5b1",
    "swatch-edge": "#8a949e",
}
"""The page's colours, by the name of the CSS custom property (``--ink``) that carries each."""

TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("ink", "paper"),
    ("muted", "paper"),
    ("accent", "paper"),
    ("good", "paper"),
    ("warn", "paper"),
    ("bad", "paper"),
    ("ink", "soft"),
    ("muted", "soft"),
    ("accent", "soft"),
    ("paper", "navy"),
    ("on-navy", "navy"),
    ("on-navy-label", "navy"),
    ("ink", "callout"),
    ("ink", "callout-warn"),
    ("muted", "none-bg"),
    ("flag-ink", "flag-bg"),
    ("muted", "kind-bg"),
    ("muted", "stripe"),
    ("ink", "stripe"),
)
"""(text, background) pairs of :data:`PAGE` colours that the CSS puts together."""

# Answer colours: substantive options by score, from orange (0) through light blue to dark blue (1);
# a blue/orange scheme stays distinguishable with the common colour-vision deficiencies.
SCORE_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0xC2, 0x57, 0x1A)),
    (0.25, (0xEB, 0xA3, 0x6A)),
    (0.5, (0x93, 0xB7, 0xDF)),
    (1.0, (0x1D, 0x4E, 0x89)),
)
DONT_KNOW = "#7b8794"
NOT_APPLICABLE = "#cbd2d9"
UNSCORED = "#a58fd0"
UNPUBLISHED = "#eef1f4"

# Status bands: background, text, border and fill colours. Known band ids keep their meaning; other
# catalogs' bands get colours by rank, from the lowest band to the highest.
BAND_PALETTES: dict[str, tuple[str, str, str, str]] = {
    "red": ("#fde7e5", "#8f1d14", "#e8a39b", "#c0392b"),
    "orange": ("#fdebdc", "#8a3a0a", "#eeb48a", "#d9641c"),
    "amber": ("#fdf1d0", "#6e4a00", "#e9c46a", "#d9a21b"),
    "lime": ("#eef6d8", "#3f5a0b", "#bcd68a", "#7fa52a"),
    "green": ("#dff3e6", "#0c5a2e", "#93cfa9", "#2e8b57"),
    "blue": ("#e1ecf8", "#173f6d", "#9dbfe3", "#2f6db5"),
}
BAND_RANKS = ("red", "orange", "amber", "lime", "green")


def band_palette(band_id: str, rank: int, count: int) -> tuple[str, str, str, str]:
    """The palette of the band at ``rank`` (0 is the lowest) of ``count``: by its id when known, else by rank."""
    name = band_id.lower()
    if name not in BAND_PALETTES:
        name = "blue" if count == 1 else BAND_RANKS[round(rank * (len(BAND_RANKS) - 1) / (count - 1))]
    return BAND_PALETTES[name]


def hex_colour(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def option_colour(role: OptionRole, score: float | None) -> str:
    """The fill of an answer option in the charts: by score for substantive answers, greys otherwise."""
    if role == OptionRole.DONT_KNOW:
        return DONT_KNOW
    if role == OptionRole.NOT_APPLICABLE:
        return NOT_APPLICABLE
    if score is None:
        return UNSCORED
    score = min(1.0, max(0.0, score))
    for (low, low_rgb), (high, high_rgb) in itertools.pairwise(SCORE_STOPS):
        if score <= high:
            t = 0.0 if high == low else (score - low) / (high - low)
            r, g, b = ((a + (z - a) * t) for a, z in zip(low_rgb, high_rgb, strict=True))
            return hex_colour((r, g, b))
    return hex_colour(SCORE_STOPS[-1][1])


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(fill: str) -> str:
    """Text for a fill: white or black, whichever contrasts more (never below 4.58:1, over AA's 4.5),
    or the page's dark ink instead of black where that still reaches AAA (7:1), on light fills."""
    best = max((PAPER, BLACK), key=lambda ink: contrast(ink, fill))
    if best == BLACK and contrast(INK, fill) >= AAA:
        return INK
    return best
