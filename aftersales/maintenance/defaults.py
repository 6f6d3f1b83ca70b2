"""Seeded reference data: the seasonal windows and the checklists of the six demo product
lines. HVAC unit and water-system items follow 003 #12 §六/§九 (机组维修保养工作内容);
the others are sensible starting sets an administrator edits (a change is a new version).
Only adds what is missing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# code, name, start (month, day), end (month, day), note
WINDOWS: tuple[tuple[str, str, tuple[int, int], tuple[int, int], str], ...] = (
    ("rainy", "雨季防水检查", (5, 15), (9, 15), "雨季前后检查防水、排水与密封"),
    ("typhoon", "台风季加固检查", (7, 1), (10, 15), "台风季前检查户外结构与固定件"),
    ("winter", "冬季保温防冻", (11, 15), (3, 15), "保温、防冻、伴热检查"),
    ("pre_cooling", "制冷季开机前检查", (4, 15), (5, 31), "003 #12 §九 1.1 使用季节开机前检查"),
    ("pre_heating", "供暖季开机前检查", (10, 1), (11, 15), "003 #12 §六 2 首次开制热时保养"),
    ("cooling", "制冷使用季节", (6, 1), (9, 30), "003 #12 §六 1 空调使用季节每两个月巡检一次"),
)

# (text, method, kind, unit, min, max, photo)
Item = tuple[str, str, str, str, str | None, str | None, bool]


def _c(text: str, method: str = "目视检查", photo: bool = False) -> Item:
    return (text, method, "check", "", None, None, photo)


def _v(text: str, method: str, unit: str, lo: str | None, hi: str | None) -> Item:
    return (text, method, "value", unit, lo, hi, False)


# code, name, category code, plan kind, source, items
CHECKLISTS: tuple[tuple[str, str, str, str, str, tuple[Item, ...]], ...] = (
    (
        "hvac-unit",
        "空调机组巡检保养",
        "hvac",
        "",
        "003 售后服务方案12 §九 1",
        (
            _v("外接供电电压", "万用表测量", "V", "342", "418"),
            _v("制冷剂静态压力", "压力表测量", "MPa", "0.8", "1.6"),
            _c("清洁机组翅片式换热器", "清洗后目视", photo=True),
            _c("压缩机油温加热正常", "手触/测温"),
            _c("微电脑控制设定值检查调整", "对照设计参数"),
            _v("接地电阻", "接地电阻测试仪", "Ω", None, "4"),
            _v("绝缘电阻", "兆欧表 500V", "MΩ", "2", None),
            _c("机组故障保护功能测试", "模拟故障"),
            _v("运行电流", "钳形电流表", "A", "0", "60"),
            _v("出水温度（制冷）", "温度计读数", "°C", "5", "12"),
            _c("运行无异常声音", "听诊"),
            _c("冷凝水排水顺畅", "目视/注水试验"),
        ),
    ),
    (
        "hvac-water",
        "空调水系统巡检",
        "hvac",
        "",
        "003 售后服务方案12 §九 2",
        (
            _c("水泵运行无异常振动与噪声", "听诊/手触"),
            _c("水泵轴封无泄漏", "目视"),
            _c("冷却塔风机运行、布水正常", "目视"),
            _c("过滤器/Y型过滤器已清洗", "拆检", photo=True),
            _v("系统供水压力", "压力表读数", "MPa", "0.2", "0.6"),
            _v("供回水温差", "温度计读数", "°C", "3", "7"),
            _c("管路保温层完好、无结露", "目视"),
            _c("阀门启闭灵活、无渗漏", "手动操作"),
            _c("膨胀水箱水位正常", "目视"),
            _v("水质 pH 值", "试纸/pH计", "pH", "7", "9.5"),
        ),
    ),
    (
        "led-screen",
        "LED显示屏巡检",
        "led",
        "",
        "",
        (
            _c("整屏显示无死灯、无色块", "全白/全红/全绿/全蓝画面", photo=True),
            _v("供电电压", "万用表测量", "V", "198", "242"),
            _v("屏体表面温度", "红外测温", "°C", None, "60"),
            _c("控制系统（发送卡/接收卡）工作正常", "软件检测"),
            _c("箱体固定、结构件无松动锈蚀", "目视/扳手"),
            _c("防雷接地完好", "目视"),
        ),
    ),
    (
        "security-system",
        "安防智能化系统巡检",
        "security",
        "",
        "",
        (
            _c("摄像机图像清晰、无丢失", "监控平台逐路查看"),
            _v("录像保存天数", "存储设备查询", "天", "30", None),
            _c("门禁、报警联动测试正常", "现场测试"),
            _c("UPS 电源工作正常", "面板/放电测试"),
            _c("机房温湿度、线缆整齐", "目视"),
        ),
    ),
    (
        "agri-machine",
        "农业机械保养检查",
        "agri",
        "",
        "",
        (
            _c("发动机机油油位、油质", "油尺检查"),
            _c("空气滤清器清洁", "拆检"),
            _v("轮胎气压", "气压表", "kPa", "180", "260"),
            _c("传动皮带、链条张紧适度", "手压检查"),
            _c("液压系统无渗漏", "目视"),
            _c("灯光、仪表工作正常", "开机检查"),
        ),
    ),
    (
        "window-facade",
        "门窗幕墙巡检",
        "window",
        "",
        "",
        (
            _c("玻璃无破损、无自爆隐患", "目视", photo=True),
            _c("密封胶条完好、无老化开裂", "目视/手触"),
            _c("五金件开启灵活、紧固", "手动操作"),
            _c("排水孔畅通、无渗漏", "淋水试验"),
            _c("结构胶、连接件无锈蚀松动", "目视"),
        ),
    ),
    (
        "software-system",
        "软件系统巡检",
        "software",
        "",
        "003 售后服务方案 定期每月巡检系统运行状态",
        (
            _c("系统服务运行正常", "管理工具检查"),
            _v("磁盘剩余空间", "系统命令", "%", "20", None),
            _c("数据备份成功", "备份日志"),
            _c("安全补丁、病毒库已更新", "系统检查"),
            _c("系统与网络配置无异常", "配置核对"),
        ),
    ),
)


def ensure_defaults(apps: Any = None) -> None:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    window_model = apps.get_model("maintenance", "SeasonalWindow")
    template_model = apps.get_model("maintenance", "ChecklistTemplate")
    item_model = apps.get_model("maintenance", "ChecklistItem")
    category_model = apps.get_model("installed_base", "ProductCategory")
    for code, name, (sm, sd), (em, ed), note in WINDOWS:
        window_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "start_month": sm,
                "start_day": sd,
                "end_month": em,
                "end_day": ed,
                "note": note,
            },
        )
    names = dict(
        [
            ("led", "LED显示屏"),
            ("hvac", "中央空调"),
            ("security", "安防智能化系统"),
            ("agri", "农业机械"),
            ("window", "门窗幕墙"),
            ("software", "软件系统"),
        ]
    )
    for code, name, cat_code, kind, source, items in CHECKLISTS:
        if template_model.objects.filter(code=code).exists():
            continue
        category, _ = category_model.objects.get_or_create(
            code=cat_code, defaults={"name": names[cat_code]}
        )
        template = template_model.objects.create(
            code=code, version=1, name=name, category=category, plan_kind=kind, source=source
        )
        item_model.objects.bulk_create(
            [
                item_model(
                    template=template,
                    seq=i,
                    text=text,
                    method=method,
                    kind=item_kind,
                    unit=unit,
                    min_value=Decimal(lo) if lo is not None else None,
                    max_value=Decimal(hi) if hi is not None else None,
                    photo_required=photo,
                )
                for i, (text, method, item_kind, unit, lo, hi, photo) in enumerate(items, start=1)
            ]
        )
