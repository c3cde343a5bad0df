"""`rectify-xl serve [--host 127.0.0.1] [--port 8765]`: the office server; Ctrl-C stops it."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只允许本机访问，0.0.0.0 表示允许本单位网络访问（需访问口令）")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 500),
              help="单次上传的大小上限（MB）")
@click.option("--time-limit", default=120, show_default=True, type=click.IntRange(5, 3600),
              help="每个请求的处理时限（秒）")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="工作进程数；多核电脑上可设为 CPU 核数，多人同时使用时更快")
@click.option("--smtp", "smtp", default=None, metavar="HOST:PORT",
              help="服务器发送“发送上级”邮件所用的邮件服务器；不填则只生成邮件草稿")
@click.option("--smtp-security", type=click.Choice(["SSL", "STARTTLS", "无"]), default="SSL",
              show_default=True, help="加密方式")
@click.option("--smtp-user", default="",
              help="邮箱用户名；密码从环境变量 RECTIFY_SMTP_PASSWORD 或系统钥匙串读取")
@click.option("--smtp-sender", default="", help="发件人地址（默认同用户名）")
@click.option("--smtp-sender-name", default="", help="发件人姓名")
@click.option("--mail-domain", "mail_domains", multiple=True, metavar="DOMAIN",
              help="只允许发往这些域名的收件人（可多次使用），如 example.gov.cn")
@click.option("--certfile", default=None, metavar="FILE",
              help="HTTPS 证书（PEM，可含证书链）；给出后服务器只用 HTTPS")
@click.option("--keyfile", default=None, metavar="FILE", help="HTTPS 证书的私钥（PEM）")
@click.option("--session-hours", default=12.0, show_default=True, type=click.FloatRange(0.1, 720),
              help="登录有效时长（小时）")
@click.option("--keep-hours", default=72.0, show_default=True, type=click.FloatRange(0.1, 8760),
              help="保留的结果在服务器上存放多久（小时）")
@click.option("--keep-quota-mb", default=500, show_default=True, type=click.IntRange(1, 100_000),
              help="保留的结果合计最多占用多少磁盘空间（MB），超出时先删最早的")
def command(host: str, port: int, max_upload_mb: int, time_limit: int, workers: int,
            smtp: str | None, smtp_security: str, smtp_user: str, smtp_sender: str,
            smtp_sender_name: str, mail_domains: tuple[str, ...], certfile: str | None,
            keyfile: str | None, session_hours: float, keep_hours: float,
            keep_quota_mb: int) -> None:
    """启动办公室服务器：网页版工作台（WPS、LibreOffice 也能用）和 Excel 按钮的服务器版。

    默认只在本机 127.0.0.1 上提供服务；按 Ctrl-C 停止。
    绑定到其他地址（如 0.0.0.0）时，首次启动会生成访问口令并显示一次，保存在用户配置目录中。

    例：rectify-xl serve            （然后在浏览器中打开 http://127.0.0.1:8765/）
    """
    from rectify_xl.server.run import serve
    from rectify_xl.services.office_mail import office_mail

    mail = office_mail(smtp, security=smtp_security, user=smtp_user, sender=smtp_sender,
                       sender_name=smtp_sender_name, domains=mail_domains) if smtp else None
    serve(host=host, port=port, max_upload_mb=max_upload_mb, time_limit=float(time_limit),
          workers=workers, mail=mail, certfile=certfile, keyfile=keyfile,
          session_hours=session_hours, kept_hours=keep_hours, kept_quota_mb=keep_quota_mb,
          echo=click.echo)
