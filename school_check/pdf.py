"""The incident decision record as a one-page A4 PDF, laid out to print or file.

It holds only what `decision_record.Record` holds: wording from the content file and the
structured answers. The type shrinks, step by step, until everything fits on one page.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from school_check.decision_record import Record
from school_check.engine import CAUTIOUS, REFER_NOW

MARGIN = 14 * mm
WIDTH = A4[0] - 2 * MARGIN
# The decision box's colour says the outcome at a glance; the text says it in words too.
OUTCOME_COLOURS = {REFER_NOW: colors.HexColor("#fde8e5"), CAUTIOUS: colors.HexColor("#fff4d6")}
CALM = colors.HexColor("#e8f3ea")
RULE = colors.HexColor("#9aa5b1")
INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#4a4a4a")
FONT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)


class OnePageError(RuntimeError):
    pass


def _styles(size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName="Helvetica", fontSize=size, leading=size * 1.25, textColor=INK, alignment=TA_LEFT
    )
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=size - 1, leading=(size - 1) * 1.25, textColor=MUTED
        ),
        "bold": ParagraphStyle("bold", parent=base, fontName="Helvetica-Bold"),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=size + 6,
            leading=(size + 6) * 1.2,
            spaceAfter=2,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=size + 1.5,
            leading=(size + 1.5) * 1.25,
            spaceBefore=size * 0.8,
            spaceAfter=size * 0.3,
        ),
        # hanging indent: a list item's wrapped lines align with its first word
        "item": ParagraphStyle(
            "item",
            parent=base,
            leftIndent=size * 1.6,
            bulletIndent=0,
            spaceAfter=size * 0.15,
            bulletFontName="Helvetica",
            bulletFontSize=size,
        ),
        "decision": ParagraphStyle(
            "decision", parent=base, fontName="Helvetica-Bold", fontSize=size + 2, leading=(size + 2) * 1.25
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _item(bullet: str, text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style, bulletText=bullet)


def _story(record: Record, size: float) -> list:
    s = _styles(size)
    pad = size * 0.45
    story: list = [
        _p(record.title, s["title"]),
        _p(record.subtitle, s["body"]),
        _p(record.produced, s["small"]),
        Spacer(1, size * 0.8),
    ]

    decision_rows = [
        [_p(f"{record.decision_title}: {record.headline}", s["decision"])],
        [
            Paragraph(
                f"<b>{escape(record.driven_by_title)}:</b> " + escape("; ".join(record.driven_by)), s["body"]
            )
        ],
    ]
    if record.refer_to:
        decision_rows.append(
            [
                Paragraph(
                    f"<b>{escape(record.refer_to_title)}:</b> " + escape("; ".join(record.refer_to)),
                    s["body"],
                )
            ]
        )
    decision = Table(decision_rows, colWidths=[WIDTH])
    decision.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), OUTCOME_COLOURS.get(record.outcome, CALM)),
                ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), pad * 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad * 2),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]
        )
    )
    story.append(decision)

    story.append(_p(record.answers_title, s["heading"]))
    rows = [
        [
            _p(record.threshold_header, s["bold"]),
            _p(record.question_header, s["bold"]),
            _p(record.answer_header, s["bold"]),
        ]
    ]
    rows += [
        [_p(str(row.threshold or ""), s["body"]), _p(row.question, s["body"]), _p(row.answer, s["body"])]
        for row in record.answers
    ]
    answers = Table(rows, colWidths=[WIDTH * 0.11, WIDTH * 0.55, WIDTH * 0.34], repeatRows=1)
    answers.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0f2")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
            ]
        )
    )
    story.append(answers)

    story.append(_p(record.steps_title, s["heading"]))
    story += [_item(f"{i}.", step, s["item"]) for i, step in enumerate(record.steps, 1)]
    if record.factors:
        story += [Spacer(1, size * 0.4), _p(record.factors_intro, s["body"])]
        story += [_item("-", factor, s["item"]) for factor in record.factors]

    never = Table(
        [[_p(record.never_title, s["bold"])]] + [[_item("-", n, s["item"])] for n in record.never],
        colWidths=[WIDTH],
    )
    never.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.0, colors.HexColor("#d4351c")),
                ("LEFTPADDING", (0, 0), (-1, -1), pad * 2),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.4),
            ]
        )
    )
    story += [Spacer(1, size * 0.8), never]

    fields = Table(
        [[_p(field, s["body"]), ""] for field in record.blank_fields],
        colWidths=[WIDTH * 0.38, WIDTH * 0.62],
        rowHeights=size * 2.4,
    )
    fields.setStyle(
        TableStyle([("LINEBELOW", (1, 0), (1, -1), 0.5, INK), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    )
    story += [
        KeepTogether([_p(record.fields_title, s["heading"]), fields]),
        Spacer(1, size * 0.8),
        _p(record.footer, s["small"]),
    ]
    return story


def render(record: Record) -> bytes:
    """The record as PDF bytes, on exactly one page."""
    for size in FONT_SIZES:
        out = BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=record.title,
            author="",
            subject=record.subtitle,
            creator="",
            producer="",
        )
        doc.build(_story(record, size))
        if doc.page == 1:
            return out.getvalue()
    raise OnePageError("the record does not fit on one page even at the smallest type size")
