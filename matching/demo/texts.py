"""The words of the demo applications and referrals: short, plain, as residents write them."""

from projects.models import Area

# What residents write in "what is needed", by the area they apply in.
DESCRIPTIONS: dict[str, list[str]] = {
    Area.DONATION: [
        "혼자 지내는데 겨울 난방비가 부담됩니다. 쌀이나 생필품 지원을 받고 싶습니다.",
        "실직 후 생활비가 빠듯합니다. 아이들 먹을거리 지원이 필요합니다.",
        "기초연금으로 생활하고 있어 반찬 지원을 부탁드립니다.",
        "이번 겨울 이불과 전기장판이 필요합니다.",
        "병원비 때문에 식료품 살 돈이 부족합니다.",
        "명절에 혼자 지내는데 먹을거리 꾸러미를 받을 수 있을까요.",
        "월세가 밀려 생필품을 살 여유가 없습니다. 도움 부탁드립니다.",
    ],
    Area.NETWORK: [
        "혼자 사시는 어머니께 안부 전화나 방문을 해 주실 분이 있으면 좋겠습니다.",
        "몸이 불편해 외출이 어렵습니다. 가끔 들여다봐 주실 이웃이 필요합니다.",
        "이사 온 지 얼마 안 돼 아는 사람이 없어 외롭습니다.",
        "퇴원 후 혼자 지내고 있어 말벗이 필요합니다.",
        "방에서 잘 나오지 않는 아들이 걱정됩니다. 함께할 모임을 찾고 있습니다.",
    ],
    Area.TALENT: [
        "집 전등과 수도꼭지가 고장 났는데 고칠 사람이 없습니다.",
        "현관문 손잡이 수리가 필요합니다.",
        "아이 학교 서류를 번역해 주실 분이 필요합니다.",
        "임대차 계약 문제로 법률 상담을 받고 싶습니다.",
        "어르신 이발을 집에서 받을 수 있을까요.",
        "세금 신고 방법을 몰라 도움을 받고 싶습니다.",
    ],
    Area.HEALTH: [
        "혈압이 높아 정기적인 건강 확인이 필요합니다.",
        "무릎이 아파 병원 가기가 어렵습니다. 방문 간호를 받고 싶습니다.",
        "요즘 잠을 못 자고 우울합니다. 마음 상담을 받고 싶습니다.",
        "당뇨 관리 교육을 받고 싶습니다.",
        "혼자 운동하기 어려워 함께하는 건강 프로그램을 찾습니다.",
    ],
    Area.EDUCATION: [
        "아이 공부를 봐 줄 멘토가 필요합니다.",
        "스마트폰 사용법을 배우고 싶습니다. 은행 앱을 쓰기가 어렵습니다.",
        "한국어를 더 배우고 싶습니다.",
        "방과 후 아이가 혼자 있어 학습 지원이 필요합니다.",
        "키오스크 주문하는 법을 배우고 싶습니다.",
    ],
}

# What a neighbour writes when referring someone.
SITUATIONS = [
    "옆집 어르신이 며칠째 보이지 않고 우편물이 쌓여 있습니다.",
    "아래층에 혼자 사시는 분이 겨울인데 난방을 안 하시는 것 같습니다.",
    "같은 건물 청년이 방에서 거의 나오지 않습니다. 걱정됩니다.",
    "이웃 할머니가 끼니를 거르시는 것 같습니다.",
    "앞집 아이들이 밤늦게까지 보호자 없이 지냅니다.",
    "이웃이 실직 후 많이 힘들어 보입니다.",
]
HOW_TO_REACH = [
    "같은 건물 2층, 낮에는 집에 계십니다",
    "경로당에서 자주 뵙습니다",
    "관리사무소를 통해 연락할 수 있습니다",
    "저녁 7시 이후 방문하면 만날 수 있습니다",
]
CLOSED_REFERRAL = "여러 번 방문했으나 만나지 못했고, 이사하신 것으로 확인되었습니다."
DELIVERED_NOTE = "지원이 전달되었습니다."

# Why a coordinator rejected a proposal (matching proposes another project, if one fits).
REJECT_NOTES = [
    "사업 장소가 멀어 거동이 불편하신 신청인이 다니기 어렵습니다.",
    "같은 지원을 다른 기관에서 이미 받고 계십니다.",
    "신청하신 도움과 사업의 지원 내용이 맞지 않습니다.",
    "신청인과 통화해 보니 원하시는 지원 방식이 다릅니다.",
    "사업 운영 시간이 신청인의 근무 시간과 겹칩니다.",
]
# Why a coordinator put a proposal on hold.
HOLD_NOTES = [
    "소득 확인 서류를 기다리고 있습니다.",
    "신청인이 입원 중이셔서 퇴원 후 다시 연락드리기로 했습니다.",
    "가족과 상의하신 뒤 답을 주시기로 했습니다.",
    "전입 신고 여부를 확인하고 있습니다.",
]
# How an accepted connection ended without support, in the coordinator's words, by outcome.
NOT_DELIVERED_NOTES: dict[str, list[str]] = {
    "declined": [
        "다른 지역으로 이사하시게 되어 지원을 받지 않겠다고 하셨습니다.",
        "자녀분이 모시기로 해서 지원이 더 필요 없다고 하셨습니다.",
        "연락드렸더니 지원을 원하지 않으신다고 하셨습니다.",
    ],
    "unreachable": [
        "여러 번 전화하고 두 차례 방문했지만 연락이 닿지 않았습니다.",
        "등록된 연락처가 바뀌어 연락이 닿지 않았습니다.",
    ],
    "ineligible": [
        "확인해 보니 같은 지원을 이미 받고 계셔서 대상이 아닙니다.",
        "소득 확인 결과 사업의 지원 기준을 넘습니다.",
    ],
    "withdrawn": [
        "요양병원에 입원하시게 되어 신청을 취소하셨습니다.",
        "이사하시게 되어 신청을 취소하셨습니다.",
    ],
}
# What a resident writes when withdrawing (the reason is optional).
WITHDRAW_NOTES = [
    "",
    "",
    "다른 곳에서 도움을 받게 되었습니다.",
    "이사하게 되었습니다.",
    "형편이 나아져서 취소합니다.",
    "신청을 잘못 했습니다.",
]
# ... and after the community centre said no project fits and pointed to other help.
UNMATCHED_WITHDRAW_NOTES = [
    "",
    "주민센터에서 다른 기관을 안내받아 취소합니다.",
    "맞는 사업이 없다고 하셔서 취소합니다.",
    "구청 긴급복지 지원을 받게 되어 취소합니다.",
]
