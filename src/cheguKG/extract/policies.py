"""Policies: titles in 《》, 关于…的意见/通知, 政府工作报告, “十四五”规划, “东方风起”计划.

Titles ending in 方案/办法/规划/纲要/措施 without brackets come from the suffix walk
(data/rules/suffix_rules.tsv); this component adds the forms that walk cannot see.
"""

from __future__ import annotations

import re

from .textutil import HAN
from .workspace import Workspace

BOOK = re.compile(r"《([^《》\n]{2,60})》")
NOT_POLICY = re.compile(r"(?:日报|晚报|杂志|周刊|报|新闻|联播|频道|之声|杂志社|画报)$")
FIVE_YEAR = re.compile(f"[“\"]?[十][一二三四五六七八九]五[”\"]?(?:时期)?(?:[{HAN}]{{0,8}}?)?规划(?:纲要)?(?:[(（]草案[)）])?")
REPORT = re.compile(r"(?:(?:19|20)\d\d年)?(?:[\u4e00-\u9fff]{2,6}?)?政府工作报告")
QUOTED_PLAN = re.compile(f"[“\"]([{HAN}]{{2,10}})[”\"](?:计划|行动|工程|专项行动)(?![{HAN}]{{0,1}}(?:的|中|上))")
ISSUER = re.compile(f"\\s*[{HAN}]{{2,24}}?(?:人民政府|政府|办公厅|办公室|委员会|管委会|局|厅|委)")
ABOUT = re.compile(f"关于[{HAN}“”、，,]{{4,40}}?的(?:若干措施|若干意见|实施意见|指导意见|意见|通知|决定|办法|规定|方案)")


class PolicyRules:
    """Component: Policy candidates from brackets and title shapes."""

    name = "policies"

    def __call__(self, ws: Workspace) -> None:
        text = ws.text
        for m in BOOK.finditer(text):
            if not NOT_POLICY.search(m.group(1)):
                ws.add("Policy", m.start(), m.end(), self.name, confidence=0.95, name=m.group(1))
        for pattern in (FIVE_YEAR, REPORT, QUOTED_PLAN, ABOUT):
            for m in pattern.finditer(text):
                start = m.start()
                if pattern is ABOUT:  # 重庆市开州区人民政府|关于印发…的通知: a title line names its issuer
                    line = text.rfind("\n", 0, start) + 1
                    if ISSUER.fullmatch(text, line, start):
                        start = line + len(text[line:start]) - len(text[line:start].lstrip())
                ws.add("Policy", start, m.end(), self.name, confidence=0.8)
