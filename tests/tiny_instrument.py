"""A second, tiny instrument built in code: proves the engine knows nothing of the cybercrime convention."""

from __future__ import annotations

import copy

T = lambda en, zh: {"en": en, "zh": zh}  # noqa: E731

TINY = {
    "id": "tiny-treaty",
    "version": "1",
    "instrument": {"id": "tiny-2030", "title": T("Tiny Treaty on Lighthouses", "灯塔小条约")},
    "title": T("Tiny self-assessment", "小型自评"),
    "default_block": "basic",
    "code_lists": {
        "obligation": [
            {"code": "mandatory", "weight": 1.0, "label": T("Mandatory", "强制性")},
            {"code": "consider", "weight": 0.5, "label": T("Consider", "考虑")},
            {"code": "optional", "weight": 0.25, "label": T("Optional", "任择")},
            {"code": "institutional", "weight": 0.0, "label": T("Institutional", "机构性")},
        ],
        "status": [
            {"code": "implemented", "score": 1.0, "label": T("Implemented", "已执行")},
            {"code": "partly_implemented", "score": 0.5, "label": T("Partly implemented", "部分执行")},
            {"code": "not_implemented", "score": 0.0, "label": T("Not implemented", "未执行")},
            {"code": "not_applicable", "label": T("Not applicable", "不适用")},
        ],
        "colour": [
            {"code": "red", "label": T("Red", "红")},
            {"code": "white", "label": T("White", "白")},
        ],
    },
    "question_blocks": {
        "basic": [
            {"id": "status", "type": "choice", "code_list": "status", "required": True, "label": T("Status?", "状态？")},
            {"id": "law", "type": "table", "required_when": {"status": ["implemented", "partly_implemented"]},
             "label": T("Laws", "法律"),
             "columns": [
                 {"id": "title", "type": "text", "required": True, "max_length": 50, "label": T("Title", "标题")},
                 {"id": "year", "type": "year", "label": T("Year", "年份")},
                 {"id": "link", "type": "url", "label": T("Link", "链接")},
             ]},
            {"id": "notes", "type": "long_text", "max_length": 200, "label": T("Notes", "备注")},
            {"id": "keepers", "type": "integer", "min": 0, "label": T("Keepers", "看守人")},
        ],
    },
    "chapters": [
        {"number": "I", "title": T("Lights", "灯"), "articles": [1, 2]},
        {"number": "II", "title": T("Final", "最后条款"), "articles": [3, 3]},
    ],
    "articles": [
        {"number": 1, "chapter": "I", "title": T("Keep the light", "保持灯光"), "obligation": "mandatory",
         "provisions": [
             {"id": "1.1", "ref": T("Art. 1(1)", "第1条第1款"), "text": T("Keep a light burning.", "保持灯光。"), "obligation": "mandatory"},
             {"id": "1.2", "ref": T("Art. 1(2)", "第1条第2款"), "text": T("May paint it red.", "可漆成红色。"), "obligation": "optional",
              "questions": [{"id": "colour", "type": "choice", "code_list": "colour", "label": T("Colour", "颜色")}]},
         ]},
        {"number": 2, "chapter": "I", "title": T("Keepers", "看守人"), "obligation": "consider",
         "provisions": [{"id": "2", "ref": T("Art. 2", "第2条"), "text": T("Consider training keepers.", "考虑培训看守人。"), "obligation": "consider"}]},
        {"number": 3, "chapter": "II", "title": T("Entry into force", "生效"), "obligation": "institutional",
         "provisions": [{"id": "3", "ref": T("Art. 3", "第3条"), "text": T("Enters into force.", "生效。"), "obligation": "institutional"}]},
    ],
}


def tiny_definition() -> dict:
    """A fresh copy each time, so a test can break it freely."""
    return copy.deepcopy(TINY)
