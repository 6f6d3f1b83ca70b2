"""Static tables of the demo product catalogue: the six product categories with their models,
the warranty policies of SPEC §3.2, the part master and the default price list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("led", "LED显示屏"),
    ("hvac", "中央空调"),
    ("security", "安防智能化系统"),
    ("agri", "农业机械"),
    ("window", "门窗幕墙"),
    ("software", "软件系统"),
)
# categories whose requests are served remotely first (SPEC §3.4 远程服务)
REMOTE_CATEGORIES = frozenset({"software"})


@dataclass(frozen=True)
class ComponentTemplate:
    code: str
    name: str
    serial_prefix: str
    share: float  # share of the model's equipment that has the component on file


@dataclass(frozen=True)
class ModelData:
    category: str
    code: str
    name: str
    brand: str
    serial_prefix: str
    quantity: tuple[int, int] = (1, 1)
    versions: tuple[str, ...] = ()
    connection: str = ""
    discontinued_on: str = ""  # ISO date
    parts_supply_years: int = 5
    components: tuple[ComponentTemplate, ...] = ()


COMPONENTS: dict[str, ComponentTemplate] = {
    c.code: c
    for c in (
        ComponentTemplate("compressor", "压缩机", "CP", 1.0),
        ComponentTemplate("engine", "发动机", "YC", 1.0),
        ComponentTemplate("controller", "控制系统（发送卡）", "MC", 0.5),
        ComponentTemplate("hdd", "存储硬盘", "HD", 0.6),
    )
}

# category | code | name | brand | serial prefix | quantity min-max | software versions |
# connection | discontinued on | spare-parts years after discontinuation | components
_MODEL_TABLE = """
led | HX-P2.5-I | 室内全彩LED显示屏 P2.5 | 华显光电 | HXI | 1-1 | NovaLCT V5.4.2,NovaLCT V5.4.7 | 千兆网口 / 同步控制 |  | 5 | controller
led | HX-P3.91-R | 租赁LED显示屏 P3.91 | 华显光电 | HXR | 1-1 | NovaLCT V5.4.2 | 千兆网口 / 同步控制 |  | 5 | controller
led | HX-P4-O | 户外全彩LED显示屏 P4 | 华显光电 | HXO | 1-1 | ViPlex V2.9 | 4G / 异步控制 |  | 5 | controller
led | HX-P10-O | 户外单色LED条屏 P10 | 华显光电 | HXT | 1-1 |  | RS485 | 2023-06-30 | 5 |
led | HX-COB-P1.2 | 小间距COB显示屏 P1.25 | 曜彩 | YCB | 1-1 | NovaLCT V5.4.7 | 光纤 / 同步控制 |  | 5 | controller
hvac | CL-MDV-280 | 多联机室外机 28kW | 春霖 | MDV | 1-1 | ODU 3.1 | RS485 / Modbus |  | 5 | compressor
hvac | CL-WSC-500 | 螺杆式冷水机组 500RT | 春霖 | WSC | 1-1 | PLC 2.6 | BACnet/IP |  | 5 | compressor
hvac | CL-AHU-20 | 组合式空调机组 20000m³/h | 春霖 | AHU | 1-1 |  | BACnet/IP |  | 5 |
hvac | CL-FCU-136 | 卧式暗装风机盘管 FP-136 | 春霖 | FCU | 10-120 |  |  |  | 5 |
hvac | CL-HP-65 | 空气源热泵机组 65kW | 春霖 | AHP | 1-1 | HP 1.8 | RS485 / Modbus |  | 5 | compressor
security | AF-NVR-64 | 64路网络硬盘录像机 | 安锋 | NVR | 1-1 | V4.1.70,V4.2.12 | TCP/IP |  | 5 | hdd
security | AF-IPC-4MP | 400万像素网络摄像机 | 安锋 | IPC | 8-64 | V5.7.3 | ONVIF / PoE |  | 5 |
security | AF-ACS-4D | 四门门禁控制器 | 安锋 | ACS | 2-16 | V2.3 | TCP/IP / 韦根 |  | 5 |
security | AF-ALM-16 | 16防区报警主机 | 安锋 | ALM | 1-1 |  | RS485 | 2024-12-31 | 3 |
security | AF-BA-DDC | 楼宇自控DDC控制器 | 安锋 | DDC | 2-12 | V3.0.5 | BACnet MS/TP |  | 5 |
agri | NJ-LX904 | 904型轮式拖拉机 | 丰沃 | LX9 | 1-1 |  |  |  | 5 | engine
agri | NJ-4LZ-6 | 4LZ-6型自走式谷物联合收割机 | 丰沃 | 4LZ | 1-1 |  |  |  | 5 | engine
agri | NJ-2BMG-6 | 2BMG-6型免耕播种机 | 丰沃 | 2BM | 1-1 |  |  |  | 5 |
agri | NJ-3WP-500 | 3WP-500型喷杆喷雾机 | 丰沃 | 3WP | 1-1 |  |  |  | 5 |
agri | NJ-1GQN-200 | 1GQN-200型旋耕机 | 丰沃 | 1GQ | 1-1 |  |  |  | 5 |
window | MC-AL70 | 70系列断桥铝合金平开窗 | 固美 | A70 | 4-300 |  |  |  | 5 |
window | MC-AL108 | 108系列重型推拉门 | 固美 | T108 | 2-60 |  |  |  | 5 |
window | MC-CW-U | 单元式玻璃幕墙 | 固美 | CWU | 1-1 |  |  |  | 5 |
window | MC-SUN-SR | 铝合金阳光房 | 固美 | SUN | 1-1 |  |  |  | 5 |
window | MC-FW-60 | 钢质防火窗（甲级） | 固美 | FW6 | 2-40 |  |  |  | 5 |
software | RJ-LEDCMS-3 | LED信息发布系统 V3 | 华显软件 | LIC-CMS | 1-1 | 3.2.1,3.3.0,3.4.2 | B/S · HTTPS |  | 5 |
software | RJ-BMS-5 | 楼宇自控管理平台 V5 | 春霖软件 | LIC-BMS | 1-1 | 5.0.8,5.1.2 | BACnet/IP · OPC UA |  | 5 |
software | RJ-VMS-8 | 视频监控管理平台 V8 | 安锋软件 | LIC-VMS | 1-1 | 8.1.0,8.2.3 | GB/T 28181 · ONVIF |  | 5 |
software | RJ-AGRI-IOT | 智慧农机管理平台 | 丰沃软件 | LIC-AGR | 1-1 | 2.0.4,2.1.0 | 4G · 北斗定位 |  | 5 |
software | RJ-EAM-2 | 设备资产管理系统 V2 | 华显软件 | LIC-EAM | 1-1 | 2.6.0 | B/S · HTTPS |  | 5 |
"""


def _model(row: str) -> ModelData:
    cells = [x.strip() for x in row.split("|")]
    cat, code, name, brand, prefix, qty, versions, conn, disc, years, comps = cells + [""] * (
        11 - len(cells)
    )
    low, high = (int(x) for x in qty.split("-"))
    return ModelData(
        category=cat,
        code=code,
        name=name,
        brand=brand,
        serial_prefix=prefix,
        quantity=(low, high),
        versions=tuple(v for v in versions.split(",") if v),
        connection=conn,
        discontinued_on=disc,
        parts_supply_years=int(years),
        components=tuple(COMPONENTS[c] for c in comps.split(",") if c),
    )


MODELS: tuple[ModelData, ...] = tuple(_model(r) for r in _MODEL_TABLE.strip().splitlines())
# Models sold only to the customer types that list them (``CustomerType.models``).
EXCLUSIVE: frozenset[str] = frozenset({"RJ-AGRI-IOT"})

_EXCLUSIONS = (
    "人为损坏、使用或操作不当；电源电压不稳定；未经许可擅自拆修或改装；"
    "地震、雷击、水灾、火灾等不可抗力；运输、储存不当造成的损坏；无有效保修凭证"
)


@dataclass(frozen=True)
class PolicyData:
    code: str
    name: str
    category: str
    component_code: str = ""
    months: int | None = None
    seasons: int | None = None
    season_name: str = ""
    season_start: str = ""
    season_end: str = ""
    start_event: str = "acceptance"
    latent_defect_months: int = 0
    card_deadline_days: int = 20
    waive_labour_out_of_warranty: bool = False
    exclusions: str = _EXCLUSIONS


WARRANTY_POLICIES: tuple[PolicyData, ...] = (
    PolicyData(
        "WP-LED",
        "LED显示屏整机保修24个月（验收起），潜在缺陷保证期24个月",
        "led",
        months=24,
        latent_defect_months=24,
    ),
    PolicyData(
        "WP-HVAC",
        "中央空调整机保修3个制冷季（6月1日—9月30日）",
        "hvac",
        seasons=3,
        season_name="制冷季",
        season_start="06-01",
        season_end="09-30",
    ),
    PolicyData(
        "WP-HVAC-CMP", "中央空调压缩机保修36个月", "hvac", component_code="compressor", months=36
    ),
    PolicyData("WP-SEC", "安防智能化系统保修12个月（验收起）", "security", months=12),
    PolicyData(
        "WP-AGRI",
        "农业机械三包12个月（销售日起，三包卡20天内回寄）",
        "agri",
        months=12,
        start_event="sale",
        card_deadline_days=20,
        exclusions=_EXCLUSIONS + "；易损件（滤芯、皮带、刀片等）不在三包范围",
    ),
    PolicyData(
        "WP-WIN",
        "门窗幕墙保修24个月，潜在缺陷保证期60个月",
        "window",
        months=24,
        latent_defect_months=60,
    ),
    PolicyData(
        "WP-SW",
        "软件系统免费维护12个月，保修期外远程服务免人工费",
        "software",
        months=12,
        waive_labour_out_of_warranty=True,
    ),
)


@dataclass(frozen=True)
class PartData:
    code: str
    name: str
    model: str
    specification: str
    category: str  # "" = general parts
    usage: str
    unit: str
    unit_cost: Decimal
    price: Decimal
    wear: bool = False


# code | name | model | specification | category ("" = general) | usage | unit | unit cost |
# price | 易损 (wear part)
_PART_TABLE = """
LED-MOD-P25 | LED单元板 | P2.5-320160 | 室内 320×160mm 128×64点 | led | 显示单元更换 | 块 | 180.00 | 260.00
LED-MOD-P391 | LED单元板 | P3.91-250250 | 250×250mm 64×64点 | led | 显示单元更换 | 块 | 220.00 | 320.00
LED-MOD-P4 | LED单元板 | P4-320160-O | 户外 320×160mm 防水 | led | 显示单元更换 | 块 | 160.00 | 240.00
LED-MOD-P10 | LED单元板 | P10-R | 户外单红 320×160mm | led | 条屏单元更换 | 块 | 45.00 | 70.00
LED-MOD-COB | COB显示模组 | COB-P1.25 | 600×337.5mm | led | 小间距模组更换 | 块 | 900.00 | 1300.00
LED-PSU-5V40 | 开关电源 | LED-200-5 | 5V 40A 200W | led | 单元板供电 | 台 | 65.00 | 98.00
LED-PSU-5V40B | 开关电源（替代型） | CL-A-200-5 | 5V 40A 200W | led | 单元板供电 | 台 | 58.00 | 90.00
LED-PSU-5V60 | 开关电源 | LED-300-5 | 5V 60A 300W | led | 单元板供电 | 台 | 95.00 | 140.00
LED-RCV-A5 | 接收卡 | A5s Plus | 支持512×384像素 | led | 箱体信号接收 | 张 | 110.00 | 165.00
LED-SND-MCTRL | 独立主控（发送卡） | MCTRL660 | 4网口 230万像素 | led | 信号发送 | 台 | 1300.00 | 1850.00
LED-VP-4K | 视频处理器 | VX1000 | 4K 输入 10网口输出 | led | 视频切换与缩放 | 台 | 4200.00 | 5600.00
LED-FAN-12 | 散热风扇 | FD1212 | 12V 120×120mm | led | 箱体散热 | 个 | 18.00 | 35.00 | 易损
LED-CBL-16P | 排线 | 16P-30 | 16芯 30cm 10条/包 | led | 单元板信号连接 | 包 | 6.00 | 12.00 | 易损
LED-IC-2053 | 驱动IC | ICN2053 | SSOP-24 | led | 单元板维修 | 片 | 2.50 | 5.00 | 易损
LED-MASK | 面罩 | P4-MASK | 户外 320×160mm | led | 单元板防护 | 块 | 8.00 | 15.00 | 易损
HV-CMP-SC | 涡旋压缩机 | ZP61KCE-TFD | 5HP 380V | hvac | 多联机/热泵压缩机更换 | 台 | 3800.00 | 5200.00
HV-CMP-SCR | 螺杆压缩机 | HSK7471-120 | 120RT R134a | hvac | 冷水机组压缩机更换 | 台 | 42000.00 | 56000.00
HV-EEV-15 | 电子膨胀阀 | DPF(T01)1.8C | DN15 | hvac | 冷媒流量调节 | 个 | 260.00 | 380.00
HV-PCB-ODU | 室外机主控板 | ODU-MB-280 | 适用 CL-MDV-280 | hvac | 室外机控制 | 块 | 980.00 | 1380.00
HV-PCB-IDU | 室内机控制板 | IDU-CB-03 | 通用型 | hvac | 室内机控制 | 块 | 320.00 | 460.00
HV-FAN-MTR | 风机电机 | YDK-550-6 | 550W 380V | hvac | 室外风机驱动 | 台 | 760.00 | 1080.00
HV-FCU-MTR | 风机盘管电机 | YSK110-20-4 | 20W 220V | hvac | 风机盘管驱动 | 台 | 210.00 | 320.00
HV-SNS-NTC | 温度传感器 | NTC-10K | 10kΩ B3435 | hvac | 温度检测 | 个 | 15.00 | 30.00 | 易损
HV-SNS-PRS | 压力传感器 | PT-45 | 0–4.5MPa | hvac | 冷媒压力检测 | 个 | 180.00 | 260.00
HV-FLT-G4 | 初效过滤网 | G4-595 | 595×595×46mm | hvac | 空气过滤 | 片 | 35.00 | 60.00 | 易损
HV-BELT-B | 三角皮带 | B-1250 | B型 1250mm | hvac | 空调机组风机传动 | 条 | 28.00 | 50.00 | 易损
HV-R410A | 制冷剂 | R410A | 11.3kg/瓶 | hvac | 补充冷媒 | 瓶 | 480.00 | 680.00
HV-WIRE-CTL | 线控器 | KJR-120 | 液晶 触摸 | hvac | 室内机控制 | 个 | 150.00 | 230.00
HV-VLV-2W | 电动二通阀 | VA-25 | DN25 AC220V | hvac | 风机盘管水路控制 | 个 | 260.00 | 390.00
HV-SEAL-PUMP | 水泵机械密封 | MG1-35 | 轴径35mm | hvac | 冷冻水泵密封 | 套 | 120.00 | 190.00 | 易损
AF-IPC-4MP | 网络半球摄像机 | AF-IPC-D4 | 400万像素 2.8mm PoE | security | 前端摄像机更换 | 台 | 380.00 | 560.00
AF-IPC-4MPB | 网络半球摄像机（替代型） | AF-IPC-D4S | 400万像素 2.8mm PoE | security | 前端摄像机更换 | 台 | 350.00 | 520.00
AF-IPC-BLT | 网络筒型摄像机 | AF-IPC-B4 | 400万像素 4mm 红外50米 | security | 室外前端 | 台 | 420.00 | 620.00
AF-HDD-4T | 监控硬盘 | ST4000VX | 4TB SATA | security | 录像存储 | 块 | 560.00 | 760.00 | 易损
AF-HDD-8T | 监控硬盘 | ST8000VX | 8TB SATA | security | 录像存储 | 块 | 1150.00 | 1500.00 | 易损
AF-POE-16 | PoE交换机 | AF-SW-16P | 16口百兆PoE 2千兆上联 | security | 前端供电与组网 | 台 | 850.00 | 1200.00
AF-ACS-CTRL | 门禁控制器 | AF-AC-4D | 四门 TCP/IP | security | 门禁控制 | 台 | 1200.00 | 1700.00
AF-RDR-IC | IC卡读卡器 | AF-R-IC | 13.56MHz 韦根26 | security | 门禁读卡 | 个 | 150.00 | 230.00
AF-LOCK-MAG | 磁力锁 | ML-280 | 280kg 12V | security | 门禁锁具 | 把 | 160.00 | 240.00 | 易损
AF-BTN-EXIT | 出门按钮 | EB-86 | 86型 不锈钢 | security | 门禁出门开关 | 个 | 20.00 | 40.00 | 易损
AF-PSU-12V | 监控电源 | PS-1205 | 12V 5A | security | 摄像机供电 | 个 | 45.00 | 75.00 | 易损
AF-ALM-DET | 双鉴探测器 | DT-15 | 微波+红外 15米 | security | 入侵探测 | 个 | 140.00 | 210.00
AF-DDC-IO | DDC扩展模块 | DDC-16DI | 16路数字量输入 | security | 楼控点位扩展 | 个 | 980.00 | 1400.00
NJ-FLT-OIL | 机油滤清器 | JX0810 | M20×1.5 | agri | 发动机保养 | 个 | 35.00 | 60.00 | 易损
NJ-FLT-AIR | 空气滤清器滤芯 | K2036 | 外径200mm | agri | 发动机进气过滤 | 个 | 60.00 | 95.00 | 易损
NJ-FLT-FUEL | 柴油滤清器 | CX0708 | M16×1.5 | agri | 燃油过滤 | 个 | 40.00 | 70.00 | 易损
NJ-BELT-HV | 收割机传动皮带 | HB-3200 | 宽27mm 长3200mm | agri | 割台/脱粒传动 | 条 | 120.00 | 190.00 | 易损
NJ-BLADE-R | 旋耕刀 | IT245 | 左/右弯刀 | agri | 旋耕作业 | 把 | 12.00 | 22.00 | 易损
NJ-CHAIN | 输送链条 | CA550 | 节距41.4mm | agri | 过桥输送 | 条 | 380.00 | 560.00 | 易损
NJ-CUT-KNIFE | 割刀总成 | 4LZ-KN | 割幅2.2米 | agri | 收割切割 | 套 | 850.00 | 1200.00 | 易损
NJ-CLUTCH | 离合器片 | CL-325 | 直径325mm | agri | 动力传递 | 片 | 420.00 | 620.00 | 易损
NJ-HYD-PUMP | 液压齿轮泵 | CBN-E316 | 16ml/r | agri | 液压提升 | 台 | 680.00 | 960.00
NJ-STARTER | 起动机 | QD2810 | 12V 2.8kW | agri | 发动机起动 | 台 | 760.00 | 1080.00
NJ-ALT | 发电机 | JF1514 | 14V 55A | agri | 整车充电 | 台 | 520.00 | 760.00
NJ-NOZZLE | 扇形喷头 | 11003 | 110° 0.3gpm | agri | 植保喷雾 | 个 | 8.00 | 15.00 | 易损
NJ-TYRE-F | 前轮胎 | 9.5-24 | 8层级 人字花纹 | agri | 拖拉机前轮 | 条 | 980.00 | 1350.00
NJ-SEED-DISC | 排种盘 | BMG-SD | 玉米 26孔 | agri | 播种 | 个 | 65.00 | 110.00
MC-HINGE | 不锈钢合页 | SS-4 | 4寸 304不锈钢 | window | 平开门窗 | 片 | 18.00 | 35.00 | 易损
MC-HANDLE | 执手 | ZS-70 | 铝合金 适用70系列 | window | 门窗开启 | 个 | 35.00 | 60.00 | 易损
MC-LOCK-MP | 多点锁 | DS-800 | 锁点4个 | window | 门窗锁闭 | 套 | 120.00 | 190.00
MC-SEAL-EPDM | EPDM密封胶条 | JT-70 | 适用70系列 | window | 门窗密封 | 米 | 4.50 | 9.00 | 易损
MC-ROLLER | 推拉门滑轮 | HL-108 | 承重80kg | window | 推拉门 | 个 | 25.00 | 45.00 | 易损
MC-GLASS-LE | 中空Low-E玻璃 | 5+12A+5 | 钢化 Low-E | window | 玻璃更换 | 平方米 | 180.00 | 280.00
MC-SILICONE | 结构密封胶 | SS-622 | 590ml | window | 幕墙/门窗打胶 | 支 | 28.00 | 45.00 | 易损
MC-FRICT-STAY | 滑撑 | HC-12 | 12寸 不锈钢 | window | 外开窗 | 副 | 30.00 | 55.00 | 易损
MC-CLOSER | 闭门器 | BM-063 | 适用门重60kg | window | 门自动关闭 | 个 | 110.00 | 170.00
MC-FW-GLASS | 防火玻璃 | FG-A60 | 甲级 耐火1.0h | window | 防火窗玻璃更换 | 平方米 | 560.00 | 820.00
MC-CW-BRKT | 幕墙挂件 | GJ-U | 铝合金 单元式 | window | 幕墙单元固定 | 个 | 45.00 | 75.00
MC-SCREEN | 纱窗 | SC-70 | 隐形 金刚网 | window | 防虫 | 扇 | 80.00 | 130.00
RJ-DONGLE | 加密狗 | USB-KEY | USB 2.0 | software | 软件授权 | 个 | 150.00 | 300.00
RJ-LIC-CH | 视频通道授权 | VMS-CH | 1路 | software | 监控平台扩容 | 路 | 60.00 | 120.00
RJ-LIC-NODE | 管理节点授权 | BMS-NODE | 1节点 | software | 楼控平台扩容 | 个 | 800.00 | 1500.00
RJ-SRV-2U | 服务器 | R2U-2S | 2U 双路 64GB | software | 平台服务器更换 | 台 | 28000.00 | 36000.00
RJ-SSD-960 | 服务器固态硬盘 | SSD-960 | 960GB SATA 企业级 | software | 服务器存储 | 块 | 900.00 | 1300.00
RJ-UPS-3K | UPS电源 | UPS-3KVA | 3kVA 在线式 | software | 机房供电 | 台 | 2600.00 | 3500.00
GN-CABLE-CAT6 | 六类网线 | CAT6-305 | 305米/箱 |  | 通用布线 | 箱 | 380.00 | 520.00
GN-FUSE | 保险丝 | F-5x20 | 5×20mm 套装 |  | 通用电气保护 | 套 | 10.00 | 20.00 | 易损
GN-BREAKER | 空气开关 | DZ47-2P32 | 2P 32A |  | 通用配电 | 个 | 45.00 | 75.00
GN-RELAY | 中间继电器 | MY2N-24 | DC24V |  | 通用控制 | 个 | 25.00 | 45.00 | 易损
GN-CONTACTOR | 交流接触器 | CJX2-3210 | 32A 220V |  | 通用控制 | 个 | 120.00 | 180.00
"""


def _part(row: str) -> PartData:
    cells = [x.strip() for x in row.split("|")]
    code, name, model, spec, cat, usage, unit, cost, price = cells[:9]
    wear = len(cells) > 9 and cells[9] == "易损"
    return PartData(code, name, model, spec, cat, usage, unit, Decimal(cost), Decimal(price), wear)


PARTS: tuple[PartData, ...] = tuple(_part(r) for r in _PART_TABLE.strip().splitlines())

# Pairs that can replace one another (可替代配件).
SUBSTITUTES: tuple[tuple[str, str], ...] = (
    ("LED-PSU-5V40", "LED-PSU-5V40B"),
    ("AF-IPC-4MP", "AF-IPC-4MPB"),
    ("AF-HDD-4T", "AF-HDD-8T"),
)

PRICE_LIST = {
    "code": "STD",
    "name": "标准收费标准",
    "labour_rate_per_hour": Decimal("120.00"),
    "minimum_labour_hours": Decimal("1.00"),
    "travel_rate_per_km": Decimal("2.50"),
    "travel_flat_fee": Decimal("50.00"),
}
