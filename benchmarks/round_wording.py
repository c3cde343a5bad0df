"""The round 通报's figures and wording against published round notices (issue 18).

For each published round figure set (public notices read for issue 18, see docs/dev/round.md),
the counts are put through the same code the 通报 uses (core.round_notice.state_phrase,
format_percent, core.outcomes.outcomes_phrase) and printed beside the published sentence, with
whether the stated completion rate agrees. Run: python benchmarks/round_wording.py
"""

from __future__ import annotations

from rectify_xl.core.outcomes import StreamRow, outcomes_phrase
from rectify_xl.core.round_notice import format_percent, state_phrase

# (source, published sentence, fed back, rectified, basic, open, published rate)
PUBLISHED = (
    ("昆明 2023", "巡察反馈的697个问题，完成整改688个，基本完成取得阶段性成果并持续整改问题4个，"
                "未完成5个，总体完成率98.71%", 697, 688, 4, 5, "98.71%"),
    ("咸宁 2017", "共要求被巡察的45家单位对存在的471个问题进行整改，已整改销号问题453个，"
                "占整改问题总数的96.18%", 471, 453, 0, 18, "96.18%"),
    ("辽中 2022", "前六轮反馈的1157个问题，已完成整改1148个，完成率达99%", 1157, 1148, 0, 9, "99%"),
)
# (source, published outcome sentence, figures as the ledger columns would sum them)
OUTCOMES = (
    ("昆明 2023", "完善和新建制度589项…挽回经济损失1369.5万元", {"systems": 589, "recovered": 1369.5}),
    ("咸宁 2017", "清退清收资金23471.60万元，追责问责552人，建立完善规章制度768个",
     {"recovered": 23471.6, "accountable": 552, "systems": 768}),
)


def main() -> None:
    agree = 0
    for source, published, problems, rectified, basic, open_, rate in PUBLISHED:
        row = StreamRow("反馈问题", problems, rectified, basic, open_, 0, 0)
        ours = format_percent(row.completion_rate)
        same = ours == rate
        agree += same
        print(f"[{source}]\n  published: {published}\n  rectify-xl: {state_phrase(row, '巡察反馈问题')}"
              f"\n  rate: published {rate}, ours {ours} — {'same' if same else 'published rounds further'}")
    for source, published, figures in OUTCOMES:
        print(f"[{source}]\n  published: {published}\n  rectify-xl: {outcomes_phrase(figures)}")
    print(f"\ncompletion rates equal to the published ones: {agree} of {len(PUBLISHED)} "
          "(rate = rectified / fed back, two decimals; a notice that rounds to a whole percent "
          "states fewer digits)")


if __name__ == "__main__":
    main()
