"""Static tables behind the demo data: regions and cities, departments, the company's staff
roster, and the pieces that Chinese names and addresses are built from.

Everything here is plain data; ``aftersales.demo.plan`` combines it with a seeded random
generator into the rows that ``aftersales.demo.loader`` writes.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo1234"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class City:
    name: str  # 上海
    province: str  # "" for the municipalities (上海、北京、天津)
    lat: float
    lng: float
    area_code: str  # 区号
    districts: tuple[str, ...]


@dataclass(frozen=True)
class RegionData:
    code: str
    name: str
    province: str
    hub: City
    cities: tuple[City, ...]  # the hub first

    @property
    def all_cities(self) -> tuple[City, ...]:
        return (self.hub, *self.cities)


def _c(name: str, province: str, lat: float, lng: float, area: str, districts: str) -> City:
    return City(name, province, lat, lng, area, tuple(districts.split()))


REGIONS: tuple[RegionData, ...] = (
    RegionData(
        "HD",
        "华东区",
        "上海、江苏、浙江",
        _c(
            "上海",
            "",
            31.23,
            121.47,
            "021",
            "浦东新区 徐汇区 闵行区 静安区 黄浦区 长宁区 普陀区 杨浦区 宝山区 嘉定区 松江区",
        ),
        (
            _c(
                "杭州", "浙江省", 30.27, 120.16, "0571", "西湖区 上城区 拱墅区 滨江区 萧山区 余杭区"
            ),
            _c(
                "苏州",
                "江苏省",
                31.30,
                120.59,
                "0512",
                "姑苏区 虎丘区 吴中区 相城区 吴江区 工业园区",
            ),
            _c("南京", "江苏省", 32.06, 118.80, "025", "玄武区 秦淮区 鼓楼区 建邺区 江宁区 浦口区"),
            _c("宁波", "浙江省", 29.87, 121.54, "0574", "海曙区 江北区 鄞州区 北仑区 镇海区"),
            _c("无锡", "江苏省", 31.49, 120.31, "0510", "梁溪区 滨湖区 新吴区 锡山区 惠山区"),
        ),
    ),
    RegionData(
        "HB",
        "华北区",
        "北京、天津、河北、山东、山西",
        _c(
            "北京",
            "",
            39.90,
            116.40,
            "010",
            "东城区 西城区 朝阳区 海淀区 丰台区 石景山区 通州区 大兴区 顺义区 昌平区",
        ),
        (
            _c("天津", "", 39.34, 117.36, "022", "和平区 河西区 南开区 河北区 西青区 滨海新区"),
            _c("石家庄", "河北省", 38.04, 114.51, "0311", "长安区 桥西区 新华区 裕华区 鹿泉区"),
            _c("济南", "山东省", 36.65, 117.12, "0531", "历下区 市中区 槐荫区 天桥区 历城区"),
            _c("太原", "山西省", 37.87, 112.55, "0351", "小店区 迎泽区 杏花岭区 万柏林区 晋源区"),
        ),
    ),
    RegionData(
        "HN",
        "华南区",
        "广东",
        _c(
            "广州",
            "广东省",
            23.13,
            113.26,
            "020",
            "天河区 越秀区 海珠区 荔湾区 白云区 黄埔区 番禺区",
        ),
        (
            _c(
                "深圳", "广东省", 22.54, 114.06, "0755", "福田区 罗湖区 南山区 宝安区 龙岗区 龙华区"
            ),
            _c("佛山", "广东省", 23.02, 113.12, "0757", "禅城区 南海区 顺德区 三水区 高明区"),
            _c(
                "东莞",
                "广东省",
                23.02,
                113.75,
                "0769",
                "莞城街道 南城街道 东城街道 长安镇 虎门镇 松山湖",
            ),
            _c("珠海", "广东省", 22.27, 113.58, "0756", "香洲区 斗门区 金湾区"),
        ),
    ),
)
REGION_BY_CODE = {r.code: r for r in REGIONS}
# 华东 and 华北 share a border (江苏–山东); 华南 (广东) borders neither, 福建 lies between.
NEIGHBOURS: tuple[tuple[str, str], ...] = (("HD", "HB"),)

# code, name, parent code
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("KF", "客服部", ""),
    ("SH", "售后服务部", ""),
    ("PGZX", "品管中心", ""),
    ("PZB", "品质办", "PGZX"),
    ("CC", "仓储部", ""),
    ("CW", "财务部", ""),
    ("XS", "销售部", ""),
)


@dataclass(frozen=True)
class StaffSeat:
    """One company login besides the technicians."""

    username: str
    role: str
    department: str  # department code, "" = none
    region: str  # region code, "" = company-wide


STAFF_SEATS: tuple[StaffSeat, ...] = (
    StaffSeat("agent", "agent", "KF", "HD"),
    StaffSeat("agent2", "agent", "KF", "HB"),
    StaffSeat("agent3", "agent", "KF", "HN"),
    StaffSeat("coordinator", "coordinator", "SH", ""),
    StaffSeat("coordinator2", "coordinator", "SH", ""),
    StaffSeat("team_leader", "team_leader", "SH", ""),
    StaffSeat("team_leader2", "team_leader", "SH", ""),
    StaffSeat("quality_director", "quality_director", "PZB", ""),
    StaffSeat("quality_centre_director", "quality_centre_director", "PGZX", ""),
    StaffSeat("warehouse", "warehouse", "CC", ""),
    StaffSeat("warehouse2", "warehouse", "CC", ""),
    StaffSeat("finance", "finance", "CW", ""),
    StaffSeat("finance2", "finance", "CW", ""),
    StaffSeat("manager", "manager", "SH", ""),
    StaffSeat("sales", "sales", "XS", ""),
    StaffSeat("admin", "admin", "", ""),
)

SURNAMES = _words(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
    "彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈"
)
GIVEN_NAMES = _words(
    "伟 芳 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 建国 建军 建华 志强 志明 "
    "海燕 海涛 晓东 晓明 晓燕 丽华 玉兰 桂英 国庆 国强 文博 子涵 浩然 宇航 欣怡 雨婷 俊杰 "
    "佳琪 思远 嘉怡 志刚 红梅 春华 秋菊 冬梅 立新 卫东 振华 永刚 德明 少华 金凤 宏伟 家豪 "
    "一鸣 天宇 梓轩 诗涵 明辉 文杰 雪梅 晨曦 玉珍 建平"
)
MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 177 180 181 182 183 185 186 187 188 189 199"
)
ROADS = _words(
    "人民路 解放路 中山路 建设路 和平路 新华路 文化路 长江路 黄河路 科技路 工业大道 学府路 "
    "滨江大道 迎宾大道 创业路 健康路 光明路 幸福路 世纪大道 延安路 北京路 东风路 胜利路 "
    "青年路 高新路 振兴路 开发大道 环城路 花园路 金融街"
)
ESTATES = _words("阳光 锦绣 翠苑 金色家园 碧水 绿城 枫林 书香 名都 御景 春江 和园 紫荆 东方")
VILLAGES = _words(
    "红旗 新民 东升 永丰 丰收 长青 向阳 三河 青山 柳营 李家庄 王家堡 前进 光明 兴隆 和平 "
    "新华 金桥 太平 双庙"
)
COMPANY_WORDS = _words(
    "华星 恒达 宏远 鑫源 瑞丰 博通 天成 永信 嘉禾 中拓 金鼎 汇通 联创 精诚 凯瑞 新纪元 "
    "东方 正和 华宇 远航 银河 锦程 泰和 德胜"
)
INDUSTRIES = _words(
    "精密机械 电子科技 汽车零部件 食品 纺织 新材料 化工 医疗器械 包装印刷 光电 物流 生物医药"
)
CN_ORDINALS = _words("一 二 三 四 五 六 七 八 九 十")

# Customer kinds of business: name templates, categories they buy (code: weight), share of
# key customers (重点客户), whether a dealer sold to them, site names and contact titles.
# Templates use {city} {district} {word} {industry} {n} (a Chinese ordinal) {village} {person}.


@dataclass(frozen=True)
class CustomerType:
    code: str
    share: float  # of all generated customers
    individual: bool
    key_share: float
    dealer_sold: bool
    project: bool  # installed project (acceptance) rather than a dealer sale
    categories: dict[str, int]
    weight: float  # how much equipment a site of this type gets, relative
    names: tuple[str, ...]
    site_names: tuple[str, ...]
    titles: tuple[str, ...]
    models: tuple[str, ...] = ()  # only these product models (empty = any of the category)
    suburban: bool = False  # in the outer districts (farmland)
    multi_city: bool = False  # extra sites may lie in other cities of the region


CUSTOMER_TYPES: tuple[CustomerType, ...] = (
    CustomerType(
        code="venue",
        share=0.06,
        individual=False,
        key_share=0.7,
        dealer_sold=False,
        project=True,
        categories={"led": 4, "hvac": 2, "security": 2, "software": 1, "window": 1},
        weight=3.0,
        names=(
            "{city}国际会展中心",
            "{city}{district}体育中心",
            "{city}大剧院",
            "{city}市博物馆",
            "{city}市图书馆",
            "{city}奥林匹克体育中心",
            "{city}国际博览中心",
            "{city}市文化艺术中心",
            "{city}{district}文体中心",
            "{city}音乐厅",
            "{city}科技馆",
        ),
        site_names=("主场馆", "A馆", "B馆", "新闻中心", "地下车库", "二期"),
        titles=("工程部经理", "场馆运营主管", "信息中心主任"),
    ),
    CustomerType(
        code="hospital",
        share=0.12,
        individual=False,
        key_share=0.4,
        dealer_sold=False,
        project=True,
        categories={"hvac": 4, "security": 2, "software": 2, "window": 1, "led": 1},
        weight=3.0,
        names=(
            "{city}市第{n}人民医院",
            "{city}市中医院",
            "{city}市妇幼保健院",
            "{city}市儿童医院",
            "{city}{district}人民医院",
            "{city}{district}中心医院",
            "{city}市口腔医院",
            "{city}市肿瘤医院",
            "{city}{district}中医医院",
        ),
        site_names=("门诊楼", "住院部", "医技楼", "行政楼", "急诊中心", "新院区"),
        titles=("设备科科长", "后勤保障处主任", "信息科工程师"),
    ),
    CustomerType(
        code="school",
        share=0.14,
        individual=False,
        key_share=0.2,
        dealer_sold=False,
        project=True,
        categories={"led": 2, "hvac": 2, "security": 2, "window": 1, "software": 1},
        weight=2.0,
        names=(
            "{city}市第{n}中学",
            "{city}{district}实验小学",
            "{city}{district}第{n}小学",
            "{city}职业技术学院",
            "{city}理工学院",
            "{city}师范学院",
            "{city}市外国语学校",
            "{city}{district}实验中学",
        ),
        site_names=("教学楼", "图书馆", "体育馆", "学生宿舍", "报告厅", "新校区"),
        titles=("总务处主任", "信息中心老师", "后勤主管"),
    ),
    CustomerType(
        code="factory",
        share=0.14,
        individual=False,
        key_share=0.15,
        dealer_sold=False,
        project=True,
        categories={"hvac": 3, "security": 2, "window": 1, "software": 1},
        weight=2.0,
        names=("{city}{word}{industry}有限公司", "{word}{industry}（{city}）有限公司"),
        site_names=("一号厂房", "二号厂房", "办公楼", "仓库", "研发中心", "员工宿舍"),
        titles=("设备部经理", "厂务主管", "行政经理"),
        multi_city=True,
    ),
    CustomerType(
        code="mall",
        share=0.08,
        individual=False,
        key_share=0.3,
        dealer_sold=False,
        project=True,
        categories={"led": 3, "hvac": 3, "security": 2, "window": 1},
        weight=2.5,
        names=(
            "{city}{word}购物中心",
            "{city}{word}广场",
            "{city}{district}{word}商业广场",
            "{word}百货{city}{district}店",
        ),
        site_names=("主楼", "北区", "南区", "停车场", "美食街"),
        titles=("工程部经理", "物业经理", "运营主管"),
        multi_city=True,
    ),
    CustomerType(
        code="office",
        share=0.09,
        individual=False,
        key_share=0.2,
        dealer_sold=False,
        project=True,
        categories={"hvac": 3, "window": 2, "security": 2, "led": 1, "software": 1},
        weight=2.0,
        names=("{city}{word}大厦", "{city}{word}国际中心", "{city}{district}{word}科技园"),
        site_names=("A座", "B座", "裙楼", "地下车库"),
        titles=("物业经理", "工程主管", "行政主管"),
        multi_city=True,
    ),
    CustomerType(
        code="government",
        share=0.06,
        individual=False,
        key_share=0.5,
        dealer_sold=False,
        project=True,
        categories={"security": 3, "software": 2, "led": 1, "hvac": 1},
        weight=2.0,
        names=(
            "{city}市{district}人民政府",
            "{city}市公安局{district}分局",
            "{city}市交通运输局",
            "{city}市政务服务中心",
            "{city}市{district}人民法院",
            "{city}市档案馆",
            "{city}农村商业银行{district}支行",
        ),
        site_names=("办公楼", "指挥中心", "服务大厅", "机房"),
        titles=("办公室主任", "信息科科长", "后勤科科长"),
    ),
    CustomerType(
        code="dealer_business",
        share=0.05,
        individual=False,
        key_share=0.0,
        dealer_sold=True,
        project=True,
        categories={"window": 3, "hvac": 2},
        weight=1.5,
        names=("{city}{word}酒店", "{city}{district}{word}宾馆", "{city}{word}餐饮管理有限公司"),
        site_names=("主楼", "客房楼", "餐厅"),
        titles=("总经理", "工程主管"),
        multi_city=True,
    ),
    CustomerType(
        code="farm",
        share=0.13,
        individual=False,
        key_share=0.05,
        dealer_sold=True,
        project=False,
        categories={"agri": 6, "software": 1},
        weight=1.2,
        names=(
            "{city}{district}{village}农机专业合作社",
            "{city}{district}{person}家庭农场",
            "{city}{word}种植专业合作社",
        ),
        site_names=("农机库", "{village}作业点", "烘干中心"),
        titles=("理事长", "农机手", "会计"),
        suburban=True,
        models=("NJ-LX904", "NJ-4LZ-6", "NJ-2BMG-6", "NJ-3WP-500", "NJ-1GQN-200", "RJ-AGRI-IOT"),
    ),
    CustomerType(
        code="farmer",
        share=0.08,
        individual=True,
        key_share=0.0,
        dealer_sold=True,
        project=False,
        categories={"agri": 1},
        weight=0.4,
        names=("{person}",),
        site_names=("{person}农机",),
        titles=("户主",),
        suburban=True,
    ),
    CustomerType(
        code="homeowner",
        share=0.05,
        individual=True,
        key_share=0.0,
        dealer_sold=True,
        project=False,
        categories={"window": 2, "hvac": 1},
        weight=0.3,
        names=("{person}",),
        site_names=("{person}住宅",),
        titles=("户主",),
        models=("CL-MDV-280", "CL-HP-65", "MC-AL70", "MC-AL108", "MC-SUN-SR"),
    ),
)
CUSTOMER_TYPE_BY_CODE = {t.code: t for t in CUSTOMER_TYPES}

# The first customer is always this one (a key customer with a 7×24 contract).
FLAGSHIP_CUSTOMER = ("上海浦东国际会展中心", "venue", "HD", "浦东新区")  # in the hub city

DEALER_NAMES = (
    "{city}{word}农机销售有限公司",
    "{city}{word}门窗工程有限公司",
    "{city}{word}机电设备有限公司",
    "{city}{word}农业机械有限公司",
)

MAINTENANCE_PLANS = (
    "每月巡检1次；每季度与客户领导联合巡检1次；每半年保养1次；每年大修1次",
    "每季度巡检1次；制冷季、采暖季前各检修1次；每年保养2次",
    "每月电话巡检1次；每半年上门巡检1次；雨季前防水检查",
    "每两个月巡检1次；台风季前门窗检查；年度全面保养1次",
)
