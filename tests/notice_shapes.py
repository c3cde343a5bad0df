"""Synthetic notices reproducing the structures of real published rectification notices.

Each text copies the *shape* of a notice found on a government or news site (numbering levels,
where the aspects and problems sit, how measures are written, how counts, dates, contact details
and signatures are phrased) with invented units, topics and numbers. The source each shape was
studied from is named above it, and so is any part the search excerpt did not show (written as
such notices usually are); no sentence of those pages is reused.
"""

from __future__ import annotations

# Provincial 巡视 notice (a province, 2016, reposted by news sites): no title, no 一/二/三 parts;
# the aspects are the level-1 headings (一、在…方面), the problems run-in level-2 headings without
# quotes (（一）关于…的问题。一是…二是…), the measures in the same paragraph and sometimes in a
# following paragraph; the feedback date has no year (10月10日); no contact line.
PROVINCE_RUN_IN = "\n".join([
    "根据中央统一部署，2019年5月6日至7月8日，中央第五巡视组对某省进行了巡视。9月12日，"
    "中央巡视组向某省委反馈了巡视意见。根据《中国共产党巡视工作条例》有关规定，现将巡视整改情况予以公布。",
    "某省委高度重视巡视反馈意见整改工作，坚决照单全收，坚持立行立改，两个月来整改取得初步成效。",
    "一、在理论武装不够深入方面",
    "（一）关于部分干部学用脱节的问题。一是建立学习台账，按季度检查。二是举办专题读书班3期。",
    "三是将学习情况纳入年度考核。",
    "（二）关于中心组学习质量不高的问题。一是修订中心组学习规则。二是每次学习确定研讨主题。",
    "二、在基层组织建设薄弱方面",
    "（一）关于部分支部组织生活不规范的问题。一是开展组织生活专项检查。二是对12个支部书记约谈提醒。",
    "（二）关于发展党员把关不严的问题。对近三年发展的党员逐一复核，补齐档案材料。",
    "三、在作风建设有差距方面",
    "（一）关于文山会海反弹的问题。一是压减会议文件数量。二是推行视频会议。",
])

# Provincial notice (2021, a provincial daily): a title line; part 一 numbered straight to 1.
# (1.提高政治站位，…。 run-in) — as seen. Parts 二 and 三 were not in the excerpt: written as such
# notices usually are (aspects （一）关于…方面的问题, quoted problems, part 三 titled without
# 下一步); the signature date in Chinese numerals is the 公文 convention, not from that page.
PROVINCE_NUMBERED_PART_ONE = "\n".join([
    "中共某省委关于巡视整改进展情况的通报",
    "根据中央统一部署，2020年9月1日至11月10日，中央第三巡视组对某省开展了常规巡视。2021年1月15日，"
    "中央巡视组向某省委反馈了巡视意见。按照巡视工作有关要求，现将巡视整改进展情况予以公布。",
    "一、坚持把巡视整改作为重大政治任务",
    "1.提高政治站位，扛起整改责任。省委常委会多次专题研究整改工作。",
    "2.健全工作机制，压实各方责任。成立整改工作领导小组，实行清单管理。",
    "二、聚焦反馈问题，逐项抓好整改落实",
    "（一）关于贯彻落实重大决策部署方面的问题",
    "1.关于“推动区域协调发展办法不多”的问题。",
    "一是出台区域协调发展实施意见。二是建立省市联动推进机制。",
    "2.关于“生态保护责任落实不够”的问题。",
    "修订生态环境保护考核办法，开展突出问题专项整治。",
    "（二）关于全面从严治党方面的问题",
    "1.关于“监督执纪失之于宽”的问题。",
    "一是开展案件质量评查。二是通报典型案例6起。",
    "三、巩固深化整改成果，推动长效常治",
    "（一）坚持标准不降。对已完成的整改任务适时开展回头看。",
    "（二）坚持力度不减。对需要长期坚持的任务持续跟踪督办。",
    "中共某省委",
    "二〇二一年十月二十日",
])

# Town party committee (2023, a district government site), as seen: a title; the inspection
# period across two years and a feedback date without a year; 一、整改工作基本情况;
# 二、…反馈意见整改进展情况 with counts of tasks (梳理分解整改任务N个，已完成整改M个，其中长期任务
# 取得阶段性成效K个). Not in the excerpt: the problems (written （一）关于“…”的问题 with 1. 2.
# measures), 三、下一步工作打算, and the contact details one per line with 邮编 in the address
# (the way inspection groups' announcements list 通讯地址（邮编：…） / 电子邮箱).
TOWN_TASKS = "\n".join([
    "某镇党委关于区委第三轮巡察整改进展情况的通报",
    "根据区委统一部署，2022年11月28日至2023年2月17日，区委第四巡察组对某镇东村、西村等3个村级党组织"
    "进行了巡察，3月15日，区委巡察组向某镇党委主要负责人和被巡察村级党组织领导班子分别反馈了巡察意见。"
    "按照巡察工作有关要求，现将巡察集中整改进展情况予以公布。",
    "一、整改工作基本情况",
    "镇党委接到反馈意见后，召开整改专题部署会，制定整改落实方案，明确责任人和整改时限。",
    "二、区委巡察组反馈意见整改进展情况",
    "区委巡察组共反馈问题2个大方面4个大项的问题，镇党委梳理分解整改任务12个，已完成整改10个，"
    "其中长期任务取得阶段性成效2个。",
    "（一）关于“村级财务报销不规范”的问题",
    "1.对三个村近两年报销凭证逐笔核查。",
    "2.制定村级财务报销细则。",
    "（二）关于“村务公开不及时”的问题",
    "1.统一设置村务公开栏，按季度公开。",
    "（三）关于“集体资产底数不清”的问题",
    "1.开展集体资产清查。",
    "2.建立资产台账并录入平台。",
    "（四）关于“后备干部储备不足”的问题",
    "1.建立村级后备人才台账。",
    "三、下一步工作打算",
    "镇党委将持续巩固整改成果，对长期任务紧盯不放。",
    "欢迎广大干部群众对巡察整改落实情况进行监督。",
    "联系电话：0632-5551234",
    "通讯地址：某区某镇府前路8号（邮编：277100）",
    "电子邮箱：xzzg@example.cn",
])

# District bureau. The counts phrasing is the district-wide 2023 summary's (巡察反馈的N个问题，
# 完成整改M个，基本完成…K个，未完成J个，总体完成率R%, two decimals); the title and opening the
# 2023 bureau notice's (到 in the range, 统一安排部署). Aspects written as plain …方面 lines
# without a number are a variation the brief names, not seen on a page. No 一、 level; problems
# 1.关于“…”的问题; a closing 下一步 paragraph and a 欢迎监督 line without a heading.
DISTRICT_UNNUMBERED = "\n".join([
    "关于某区司法局党组巡察整改情况的通报",
    "根据区委统一安排部署，2023年3月6日到4月28日，区委第二巡察组对区司法局党组开展了常规巡察。"
    "2023年6月9日，区委巡察组向区司法局党组反馈了巡察意见。现将巡察整改情况予以公布。",
    "截至目前，巡察反馈的7个问题，完成整改5个，基本完成并持续整改问题1个，未完成1个，"
    "总体完成率71.43%。完善和新建制度6项，清退违规资金1.2万元。",
    "贯彻落实上级决策部署方面",
    "1.关于“普法责任制落实不到位”的问题",
    "整改情况：制定普法责任清单，组织开展以案释法活动4场。",
    "2.关于“法律援助案件质量不高”的问题",
    "整改情况：一是开展案卷评查。二是建立案件回访制度。",
    "全面从严治党方面",
    "1.关于“廉政风险排查不深入”的问题",
    "整改情况：重新排查岗位廉政风险点，修订防控措施。",
    "2.关于“公务用车管理不规范”的问题",
    "整改情况：完善车辆使用登记制度。",
    "3.关于“谈心谈话开展不经常”的问题",
    "整改情况：建立班子成员谈心谈话台账。",
    "干部队伍建设方面",
    "1.关于“年轻干部培养力度不够”的问题",
    "整改情况：选派2名年轻干部到基层司法所锻炼。",
    "2.关于“干部档案管理不规范”的问题",
    "整改情况：正在对干部档案进行专项审核。",
    "下一步，局党组将持续深化整改，对未完成的问题盯住不放，确保按时完成。",
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0579-8765432；邮箱：sfj@example.cn。",
])

# District trade union (2024, reposted; shared/notices has its beginning): problems directly under
# 二、 as 1.关于“…”问题的整改。, one 一是 per paragraph, 报告如下. Not in the excerpt: the rest of
# the list, part 三 with （一）（二） and the 联系电话/邮政信箱 closing.
UNION_FLAT = "\n".join([
    "根据区委统一部署，2024年4月8日至6月20日，区委第三巡察组对区妇联党组进行了巡察。2024年8月22日，"
    "区委巡察组向区妇联党组反馈了巡察意见。根据党务公开原则和巡察工作有关要求，现将整改进展情况报告如下。",
    "一、巡察整改组织领导情况",
    "区妇联党组成立整改工作领导小组，书记任组长，班子成员分工负责。",
    "二、整改进展情况及成效",
    "1.关于“联系服务妇女群众不够紧密”问题的整改。",
    "一是建立班子成员联系社区制度。",
    "二是开展走访活动12次。",
    "2.关于“基层妇联组织作用发挥不充分”问题的整改。",
    "一是开展基层妇联主席培训。",
    "二是评选示范妇女之家5个。",
    "三是建立工作月报制度。",
    "三、下一步工作打算",
    "（一）持续巩固整改成果。定期开展回头看。",
    "（二）健全长效机制。完善制度执行情况检查。",
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0571-5550000；邮政信箱：某区某路9号。",
])

# University party committee under a central inspection. Not copied from one page: the 2022
# university notices were only reported by news sites in the search corpus; the part titles
# follow the provincial 2021 notice, the run-in problems without 关于 are the form issue 8 names.
# Three parts titled without the usual words, so told apart by order; aspects （一）关于…方面;
# problems as run-in 1.… sentences with 一是…二是… in the same paragraph; one contact paragraph
# with 邮编 inside the postal address; a signature.
UNIVERSITY_RUN_IN = "\n".join([
    "中共某大学委员会关于巡视整改进展情况的通报",
    "根据中央统一部署，2021年5月10日至7月20日，中央第八巡视组对某大学党委进行了常规巡视。2021年9月8日，"
    "中央巡视组向某大学党委反馈了巡视意见。按照巡视工作有关要求，现将巡视整改进展情况予以公布。",
    "一、提高政治站位，扛起整改政治责任",
    "学校党委把巡视整改作为重大政治任务。",
    "二、聚焦反馈问题，逐项抓好整改落实",
    "（一）关于立德树人根本任务落实有差距方面",
    "1.思想政治工作体系不够健全。一是制定思政工作实施方案。二是配齐专职辅导员。",
    "2.师德师风建设有短板。一是修订师德失范处理办法。二是开展警示教育。",
    "（二）关于全面从严治党不够有力方面",
    "1.监督责任落实不到位。一是开展廉政风险排查。二是加强二级单位纪检力量。",
    "三、持续推进巡视反馈问题整改",
    "（一）坚持目标不变。对长期任务加强跟踪督办。",
    "（二）坚持标准不降。开展整改回头看。",
    "欢迎广大干部群众对巡视整改落实情况进行监督。如有意见建议，请及时向我们反映。联系电话：010-12345678；"
    "邮政信箱：某市某区某路1号某大学党委办公室（邮编：100000）；电子邮箱：xszg@example.edu.cn。",
    "中共某大学委员会",
    "2022年4月16日",
])

# problems as labelled paragraphs (问题1：… ¶ 整改情况：…, or both in one paragraph), a 下一步
# 工作打算 part, contact details one per line, a signature: a hospital's own layout
HOSPITAL_LABELLED = "\n".join([
    "根据县委统一部署，2023年3月1日至4月20日，县委第二巡察组对县人民医院党委开展了巡察，2023年6月5日"
    "反馈了巡察意见。按照党务公开原则和巡察工作有关要求，现将巡察整改进展情况予以公布。",
    "一、整改工作组织领导情况",
    "院党委把巡察整改作为重要政治任务，成立整改工作领导小组。",
    "二、巡察反馈问题整改落实情况",
    "截至2023年9月20日，巡察反馈的3个问题已完成整改3个。",
    "问题1：理论学习不够深入。",
    "整改情况：一是制定年度学习计划。二是开展专题学习研讨。",
    "问题2：“三重一大”制度执行不严格。整改情况：修订议事规则，严格集体决策。",
    "问题3：药品采购管理不规范。",
    "整改情况：一是开展专项检查。二是建立采购台账。三是加强日常监督。",
    "三、下一步工作打算",
    "（一）持续巩固整改成果。加强跟踪问效。",
    "（二）建立健全长效机制。完善管理制度。",
    "欢迎广大干部群众对巡察整改落实情况进行监督。",
    "联系电话：0571-12345678",
    "邮政信箱：某县某路1号",
    "电子邮箱：yy@example.com",
    "中共某县人民医院委员会",
    "2023年9月30日",
])

SHAPES = {
    "hospital_labelled": HOSPITAL_LABELLED,
    "province_run_in": PROVINCE_RUN_IN,
    "province_numbered_part_one": PROVINCE_NUMBERED_PART_ONE,
    "town_tasks": TOWN_TASKS,
    "district_unnumbered": DISTRICT_UNNUMBERED,
    "union_flat": UNION_FLAT,
    "university_run_in": UNIVERSITY_RUN_IN,
}
