"""Writes of evaluation (STYLE.md services), one module per area:

- `rubrics`: indicator sets (A1) and rubrics (A3) as versioned data;
- `assessments`: two-way assessment rounds and sheets (A1);
- `evaluations`: third-party evaluations, declarations, score sheets and finalisation (A2–A5).
"""

from .assessments import (
    assessment_round_close,
    assessment_round_open,
    assessment_rounds_open_due,
    assessment_sheet_save,
    assessment_sheet_submit,
    served_communities,
)
from .common import ScoreEntry, comment_field, score_field
from .evaluations import (
    assignment_declare,
    default_due_on,
    evaluation_assign,
    evaluation_evaluators_add,
    evaluation_finalise,
    score_sheet_save,
    score_sheet_submit,
)
from .rubrics import (
    indicator_set_create,
    indicator_set_default,
    indicator_set_make_default,
    indicator_set_revise,
    indicator_set_update,
    indicator_sets_load_shipped,
    rubric_check,
    rubric_create,
    rubric_default,
    rubric_load_shipped,
    rubric_make_default,
    rubric_revise,
    rubric_update,
    rubric_weights_check,
)
from .spot_checks import spot_check_draw

__all__ = [
    "ScoreEntry",
    "assessment_round_close",
    "assessment_round_open",
    "assessment_rounds_open_due",
    "assessment_sheet_save",
    "assessment_sheet_submit",
    "assignment_declare",
    "comment_field",
    "default_due_on",
    "evaluation_assign",
    "evaluation_evaluators_add",
    "evaluation_finalise",
    "indicator_set_create",
    "indicator_set_default",
    "indicator_set_make_default",
    "indicator_set_revise",
    "indicator_set_update",
    "indicator_sets_load_shipped",
    "rubric_check",
    "rubric_create",
    "rubric_default",
    "rubric_load_shipped",
    "rubric_make_default",
    "rubric_revise",
    "rubric_update",
    "rubric_weights_check",
    "score_field",
    "score_sheet_save",
    "score_sheet_submit",
    "served_communities",
    "spot_check_draw",
]
