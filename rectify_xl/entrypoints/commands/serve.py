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
def command(host: str, port: int, max_upload_mb: int, time_limit: int, workers: int) -> None:
    """启动办公室服务器：网页版工作台（WPS、LibreOffice 也能用）和 Excel 按钮的服务器版。

    默认只在本机 127.0.0.1 上提供服务；按 Ctrl-C 停止。
    绑定到其他地址（如 0.0.0.0）时，首次启动会生成访问口令并显示一次，保存在用户配置目录中。

    例：rectify-xl serve            （然后在浏览器中打开 http://127.0.0.1:8765/）
    """
    from rectify_xl.server.run import serve

    serve(host=host, port=port, max_upload_mb=max_upload_mb, time_limit=float(time_limit),
          workers=workers, echo=click.echo)
