"""The indicator sets and the rubric the platform ships (A1, A3). The bureau edits them as data; edits to a
version in use make a new version (see services/rubrics.py)."""

from decimal import Decimal

# (code, name_zh, name_en, description, max_score)
Indicator = tuple[str, str, str, str, Decimal]

AGENCY_SET = {
    "code": "two-way-of-agency",
    "name_zh": "街镇和社区考核社工机构",
    "name_en": "Town and communities assess the agency",
    "indicators": [
        (
            "A1",
            "服务计划执行",
            "Delivery of the service plan",
            "按服务计划开展服务，进度与年度目标相符。",
            Decimal("25"),
        ),
        (
            "A2",
            "服务质量与专业性",
            "Quality and professionalism",
            "服务规范、专业，活动有记录、有成效。",
            Decimal("25"),
        ),
        ("A3", "沟通配合", "Communication and cooperation", "与街镇、社区沟通及时，配合中心工作。", Decimal("20")),
        (
            "A4",
            "驻点社工到岗与稳定",
            "Stationed social workers present",
            "驻点社工按约定到岗，人员稳定。",
            Decimal("15"),
        ),
        ("A5", "居民满意度", "Residents' satisfaction", "居民对服务的评价和参与意愿。", Decimal("15")),
    ],
}

TOWN_OFFICE_SET = {
    "code": "two-way-of-town-office",
    "name_zh": "社工机构考核街镇",
    "name_en": "The agency assesses the town office",
    "indicators": [
        ("T1", "工作支持", "Support", "对项目的指导、支持和问题协调。", Decimal("25")),
        ("T2", "场地保障", "Venues", "无偿提供服务场地及必要设施设备（P8）。", Decimal("25")),
        ("T3", "协同配合", "Cooperation", "组织社区动员、链接资源、配合开展服务。", Decimal("25")),
        ("T4", "经费及时拨付", "Timely payment", "按合同约定的节点及时拨付项目经费。", Decimal("25")),
    ],
}

# A3 defaults: 项目管理 20, 专业服务 30, 服务成效 25, 财务管理 15, 满意度 10; each dimension's indicator
# maxima add up to its weight, so a sheet's total is the sum of its scores.
RUBRIC = {
    "code": "third-party-2018",
    "name_zh": "第三方评估指标体系",
    "name_en": "Third-party evaluation rubric",
    "two_way_weight": Decimal("20"),
    "dimensions": [
        {
            "code": "management",
            "name_zh": "项目管理",
            "name_en": "Project management",
            "weight": Decimal("20"),
            "indicators": [
                (
                    "PM1",
                    "组织架构与制度建设",
                    "Organisation and rules",
                    "项目团队架构清晰，岗位职责和管理制度健全。",
                    Decimal("5"),
                ),
                (
                    "PM2",
                    "计划执行与进度管理",
                    "Plan and schedule",
                    "服务计划按期推进，月度报告按时提交。",
                    Decimal("5"),
                ),
                ("PM3", "人员配备与稳定", "Staffing", "专职人员数量和持证比例达标，人员流动可控。", Decimal("5")),
                ("PM4", "档案与信息管理", "Records", "服务档案完整规范，平台数据及时准确。", Decimal("5")),
            ],
        },
        {
            "code": "professional",
            "name_zh": "专业服务",
            "name_en": "Professional service",
            "weight": Decimal("30"),
            "indicators": [
                ("PS1", "需求评估", "Needs assessment", "开展社区需求调研，形成需求评估报告。", Decimal("6")),
                ("PS2", "服务设计", "Service design", "服务方案与需求匹配，目标清晰可测。", Decimal("6")),
                ("PS3", "专业方法运用", "Professional methods", "个案、小组、社区工作方法运用规范。", Decimal("8")),
                ("PS4", "督导与培训", "Supervision and training", "定期开展专业督导和培训，有记录。", Decimal("5")),
                ("PS5", "资源链接", "Resources", "链接社区内外资源，培育志愿者和社区社会组织。", Decimal("5")),
            ],
        },
        {
            "code": "outcomes",
            "name_zh": "服务成效",
            "name_en": "Outcomes",
            "weight": Decimal("25"),
            "indicators": [
                ("OC1", "目标完成情况", "Targets met", "服务计划各项年度目标的完成程度。", Decimal("10")),
                ("OC2", "焦点问题解决", "Focus issues resolved", "社区焦点问题的回应与解决情况。", Decimal("8")),
                ("OC3", "社区参与与自治", "Participation", "居民参与程度和社区自治能力的提升。", Decimal("7")),
            ],
        },
        {
            "code": "finance",
            "name_zh": "财务管理",
            "name_en": "Financial management",
            "weight": Decimal("15"),
            "indicators": [
                ("FM1", "预算执行", "Budget execution", "预算执行进度与服务进度相符。", Decimal("5")),
                ("FM2", "财务制度与核算", "Accounting", "财务制度健全，专账核算，票据规范。", Decimal("5")),
                ("FM3", "资金使用合规", "Compliant spending", "资金按合同用途使用，人员经费比例合规。", Decimal("5")),
            ],
        },
        {
            "code": "satisfaction",
            "name_zh": "满意度",
            "name_en": "Satisfaction",
            "weight": Decimal("10"),
            "indicators": [
                ("SA1", "服务对象满意度", "Residents' satisfaction", "抽样回访服务对象的满意程度。", Decimal("5")),
                (
                    "SA2",
                    "街镇与社区满意度",
                    "Town and community satisfaction",
                    "街镇和社区对项目的评价。",
                    Decimal("5"),
                ),
            ],
        },
    ],
}
