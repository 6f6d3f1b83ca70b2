"""One configuration row per channel, with the defaults of SPEC §14."""

from django.db import migrations

NOTES = {
    "in_app": "站内消息：事务提交即送达，用户在“我的通知”中查看。",
    "email": "通过 SMTP 发送（服务器地址等见部署配置 EMAIL_*）。",
    "sms": "本系统未接入短信网关：短信通知只记录为“已放弃”并注明原因，便于人工电话联系。",
    "wecom": "企业微信群机器人：在“群机器人”中登记 Webhook 地址。",
    "dingtalk": "钉钉自定义机器人：在“群机器人”中登记 Webhook 地址，启用“加签”时填写密钥。",
    "feishu": "飞书自定义机器人：在“群机器人”中登记 Webhook 地址，启用“签名校验”时填写密钥。",
}


def seed(apps, schema_editor):
    ChannelConfig = apps.get_model("notifications", "ChannelConfig")
    for channel, note in NOTES.items():
        ChannelConfig.objects.get_or_create(channel=channel, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
