"""Generated association-news text for the synthetic web: distinct, deterministic, cheap.

Each article is assembled from slot sentences over a fixed vocabulary of 科协 news phrases with
its own random numbers and names, so no two articles share enough 5-character shingles to look
like copies to the exact or the near-duplicate dedupe (shared stock phrases stay well under the
0.5 Jaccard threshold). Text comes back as pieces, so the traditional-script site converts each
vocabulary piece once (cached) instead of running OpenCC over every page.
"""

from __future__ import annotations

import random
from datetime import date


def _words(text: str) -> tuple[str, ...]:
    """A vocabulary written as space-separated words, to keep the lists readable."""
    return tuple(text.split())


PLACES = _words("""新沂市 邳州市 睢宁县 丰县 沛县 铜山区 贾汪区 建始县 巴东县 宣恩县 鹤峰县 利川市 来凤县 咸丰县
    西峡县 南召县 方城县 唐河县 邓州市 内乡县 淅川县 桐柏县 武陵区 鼎城区 澧县 石门县 桃源县 汉寿县 临澧县 安乡县
    宝鸡市 铜川市 渭南市 汉中市 安康市 商洛市 榆林市 延安市 咸阳市 窑湾镇 阿湖镇 双龙镇 花坪镇 高坪镇""")
ORGS = _words("""科协 科学技术协会 科协机关党支部 科技工作者协会 农村专业技术协会 青少年科技教育协会
    科普志愿者协会 学会联合体""")
PARTNERS = _words("""市教育局 县农业农村局 卫健委 市科技局 团市委 妇联 气象局 应急管理局 县中医院 职业技术学院
    农业科学院""")
EVENTS = _words("""科普日主场活动 科技之春宣传月活动 院士专家行活动 科普大篷车巡展 青少年科技创新大赛 科技模型大赛
    农业实用技术培训班 科技志愿服务集中行动 全民科学素质工作推进会 基层科协三长工作推进会 学会秘书长培训班
    科技工作者日座谈会 科普讲解大赛 乡村振兴科技服务月活动 防灾减灾科普宣传周活动 银龄数字课堂""")
VENUES = _words("""市体育馆 县科技馆 社区党群服务中心 镇文化广场 科普教育基地 中心小学 农业产业园 市民广场 县委党校
    香菇大棚 茶园基地 柑橘示范园 蔬菜合作社 院士专家工作站 科普e站""")
AUDIENCES = _words("""中小学生 科技工作者 基层科协干部 种养大户 社区居民 农技人员 青少年科技辅导员 学会代表
    乡镇科协主席 志愿者""")
TOPICS = _words("""病虫害绿色防控 春季田间管理 食用菌出菇管理 中蜂科学养殖 茶叶加工技术 柑橘冬季管护 防范电信诈骗
    慢性病健康管理 人工智能科普 防汛抗旱知识 航空航天知识 智能手机使用 葡萄冬管技术 数字素养提升 安全生产常识
    垃圾分类常识""")
DEMANDS = _words("""坚持为科技工作者服务 健全三长议事和联系群众制度 推动科普工作项目化清单化 强化科普阵地建设和运营管理
    深化学会改革和学术交流 做好科技人才举荐和服务 加强基层科协组织建设 提升公民科学素质 推动科技资源向基层下沉
    打造特色科普品牌""")
RESULTS = _words("""受到群众广泛好评 营造了爱科学学科学用科学的良好氛围 有效解决了群众生产生活中的实际难题
    进一步扩大了科普工作的覆盖面和影响力 为乡村振兴注入了科技力量 激发了青少年的科学兴趣 推动了科技成果在基层落地转化
    凝聚了广大科技工作者的智慧和力量""")
SURNAMES = _words("王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 冯 贾")
GIVEN = _words("鹏飞 晓东 静 博文 蕾 磊 建国 海燕 志强 文娟 红英 中科 术生 丽华 国庆 玉兰 思远 雨萱 子涵 浩然")
ACTIONS = _words("举办 组织开展 联合举办 启动 召开 开展")


def _joined(pieces: list[str], sep: str) -> list[str]:
    """a, b, c -> [a, sep, b, sep, c]"""
    return [x for piece in pieces for x in (sep, piece)][1:]


def _sentences(rng: random.Random, place: str, day: date) -> list[list[str]]:
    """Candidate sentences of one article, each a list of pieces (vocabulary or digits)."""
    c = rng.choice
    n = lambda lo, hi: str(rng.randint(lo, hi))  # noqa: E731 - short local helper
    name = lambda: c(SURNAMES) + c(GIVEN)  # noqa: E731
    return [
        [f"{day.month}月{day.day}日", "，", place, c(ORGS), "在", c(VENUES), c(ACTIONS), c(EVENTS), "，", n(30, 900),
         "余名", c(AUDIENCES), "参加", "。"],
        [place, c(ORGS), "联合", c(PARTNERS), "组织", n(5, 40), "名专家深入", c(PLACES), "，围绕", c(TOPICS), "开展",
         "现场指导", "，解答群众提问", n(20, 300), "个", "。"],
        ["活动现场", "，", c(SURNAMES), "教授围绕", c(TOPICS), "作专题讲座", "，", c(RESULTS), "。"],
        ["会议指出", "，", n(2018, 2023), "年以来", "，", place, "累计开展", c(EVENTS), n(12, 480), "场次",
         "，受益群众", n(2, 90), "万人次", "，", c(RESULTS), "。"],
        ["会议要求", "，各级科协组织要", *_joined(rng.sample(DEMANDS, 3), "，"), "。"],
        ["据了解", "，", place, "现有", c(VENUES), n(3, 60), "个", "，", "培育", c(AUDIENCES), n(100, 5000), "人",
         "，", "带动", c(AUDIENCES), "增收", n(10, 900), "万元", "。"],
        ["“", "通过", c(EVENTS), "，", "我们学到了", c(TOPICS), "的新知识", "。", "”", c(PLACES), c(AUDIENCES), name(),
         "说", "。"],
        ["下一步", "，", place, c(ORGS), "将", c(DEMANDS), "，", "持续", c(ACTIONS), c(EVENTS), "，", c(RESULTS), "。"],
        ["本次活动共发放", c(TOPICS), "宣传资料", n(500, 9000), "份", "，", "展出科普展板", n(10, 80), "块", "，",
         "现场咨询群众", n(100, 3000), "人次", "。"],
    ]


def article(index: int, day: date, seed: int = 20240630) -> tuple[list[str], list[list[str]], str]:
    """(title pieces, paragraphs of pieces, byline) of article `index`; the same on every run."""
    rng = random.Random(seed * 1_000_003 + index)
    place = rng.choice(PLACES)
    title = rng.choice([
        [place, rng.choice(ORGS), rng.choice(ACTIONS), rng.choice(EVENTS)],
        [place, "：", rng.choice(TOPICS), "走进", rng.choice(VENUES)],
        [rng.choice(EVENTS), "在", place, "启动"],
        [place, rng.choice(ORGS), "开展", rng.choice(TOPICS), "专题培训"],
    ])
    title += ["（", str(index % 97 + 1), "）"] if rng.random() < 0.3 else []
    paragraphs: list[list[str]] = []
    for _ in range(rng.randint(2, 9)):  # paragraph count and length vary
        pool = _sentences(rng, place, day)
        rng.shuffle(pool)
        paragraphs.append([piece for sentence in pool[: rng.randint(1, 5)] for piece in sentence])
    byline = f"（记者 {rng.choice(SURNAMES)}{rng.choice(GIVEN)} 通讯员 {rng.choice(SURNAMES)}{rng.choice(GIVEN)}）"
    return title, paragraphs, byline
