"""Two small notice sites on 127.0.0.1 whose notices link attachments (made at test time by
bench/attachfiles.py): a Chinese CID-font PDF (the same file on both sites, under other URLs), a DOCX,
an XLSX, an old XLS, a 下载 link answering with Content-Disposition, and a 200 MiB PDF streamed in
1 MiB chunks (never built in memory), once with a Content-Length and once without."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import attachfiles
from bench.synthtext import article

HUGE = 200 * 1024 * 1024
PDF_LINES = ["关于开展2024年度科普示范县申报工作的通知", "各县（市、区）科协：現將申報指南印發給你們。",
             "申报截止日期为2024年4月30日。"]
PDF_PHRASE = "科普示范县申报"  # in the PDF's text, in no notice's text
DOCX_PHRASE = "推荐单位意见栏"
XLSX_PHRASE = "青少年科技创新大赛一等奖"
XLS_PHRASE = "农技协示范基地"
DOWNLOAD_PHRASE = "专家推荐信模板"
FLAKY_PHRASE = "补报的科技志愿服务队"


def files() -> dict[str, bytes]:
    return {
        "guide.pdf": attachfiles.pdf(PDF_LINES, pages=2),
        "form.docx": attachfiles.docx(["推荐表", f"{DOCX_PHRASE}（盖章）"], [["姓名", "单位"], ["张三", "新沂市科协"]]),
        "list.xlsx": attachfiles.xlsx([["序号", "获奖项目", "单位"], [1, XLSX_PHRASE, "徐州市科协"]]),
        "old.xls": attachfiles.xls([["序号", "名称"], [1, XLS_PHRASE]]),
        "letter.docx": attachfiles.docx([DOWNLOAD_PHRASE, "此致敬礼"]),
        "more.xlsx": attachfiles.xlsx([["序号", "补充名单"], [1, FLAKY_PHRASE]]),
    }


def _notice(n: int, seed: int, links: list[tuple[str, str]]) -> str:
    pieces, paras, _ = article(n, date(2024, 3, n), seed=seed)
    title = "".join(pieces)
    body = "".join(f"<p>{''.join(p)}</p>" for p in paras)
    attached = "".join(f'<p><a href="{href}">{text}</a></p>' for href, text in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="nav"><a href="/news/index.html">首页</a></div><h1>{title}</h1>'
            f"<div class=\"info\">发布日期：2024-03-{n:02d}</div><div id=\"zoom\">{body}{attached}</div></body></html>")


SITE_A = {1: [("/files/guide.pdf", "附件1：申报指南.pdf"), ("/files/form.docx", "附件2：推荐表.docx"),
              ("/xiazai/index.html", "下载中心")],  # announces a file, answers a page: not an attachment
          2: [("/files/list.xlsx", "获奖名单.xlsx"), ("/files/old.xls", "附件：示范基地名单.xls"),
              ("/files/guide.pdf", "申报指南.pdf"), ("/download?id=7", "附件下载")],
          3: [("/files/huge.pdf", "附件：汇编（200MB）.pdf"), ("/files/stream.pdf", "附件：图集.pdf")]}
SITE_B = {1: [("/upload/2024/same.pdf", "附件：申报指南.pdf"), ("/download?id=7&gbk=1", "下载"),
              ("/upload/2024/flaky.xlsx", "附件：名单（补充）.xlsx")]}  # 503 while AttachWeb.failing holds it


def write_site(root: Path, notices: dict[int, list[tuple[str, str]]], seed: int, copies: dict[str, str]) -> None:
    """Notices under /news/N.html, a list page, and the files at the paths `copies` maps to file names."""
    made = files()
    (root / "news").mkdir(parents=True, exist_ok=True)
    for n, links in notices.items():
        (root / "news" / f"{n}.html").write_text(_notice(n, seed, links), "utf-8")
    items = "".join(f'<li><a href="/news/{n}.html">通知{n}</a></li>' for n in notices)
    (root / "news" / "index.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body><ul>{items}</ul>'
        "</body></html>", "utf-8")
    (root / "xiazai").mkdir(parents=True, exist_ok=True)
    (root / "xiazai" / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>下载中心</title></head><body>下载中心</body></html>',
        "utf-8")
    for path, name in copies.items():
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(made[name])


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, hits: list[str], failing: set[str], **kwargs: Any) -> None:
        self.hits = hits
        self.failing = failing
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.hits.append(self.path)
        if self.path in self.failing:
            self.send_error(503, "Service Unavailable")
            return None
        if self.path == "/files/huge.pdf":
            return self._stream(with_length=True)
        if self.path == "/files/stream.pdf":
            return self._stream(with_length=False)
        if self.path.startswith("/download"):
            body = (Path(self.directory) / "files" / "letter.docx").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if "gbk" in self.path:  # the raw GBK bytes many Chinese servers send, against RFC 6266
                self.send_header("Content-Disposition", 'attachment; filename="专家推荐信.docx"'.encode("gbk")
                                 .decode("latin-1"))
            else:
                self.send_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote('专家推荐信.docx')}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().do_GET()

    def _stream(self, with_length: bool) -> None:
        """200 MiB of PDF, 1 MiB at a time, until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        if with_length:
            self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        chunk = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
        try:
            for _ in range(HUGE // len(chunk)):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class AttachWeb:
    """Site `noticea` and `noticeb` served until stop(); `hits[key]` lists the paths asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base_urls: dict[str, str] = {}
        self.hits: dict[str, list[str]] = {}
        self.servers: list[ThreadingHTTPServer] = []
        self.failing: set[str] = {"/upload/2024/flaky.xlsx"}  # answers 503 until taken out
        write_site(root / "noticea", SITE_A, 1, {"/files/guide.pdf": "guide.pdf", "/files/form.docx": "form.docx",
                                                  "/files/list.xlsx": "list.xlsx", "/files/old.xls": "old.xls",
                                                  "/files/letter.docx": "letter.docx"})
        write_site(root / "noticeb", SITE_B, 2, {"/upload/2024/same.pdf": "guide.pdf",
                                                  "/files/letter.docx": "letter.docx",
                                                  "/upload/2024/flaky.xlsx": "more.xlsx"})

    def start(self) -> AttachWeb:
        for key in ("noticea", "noticeb"):
            hits: list[str] = []
            handler: Callable[..., Any] = partial(_Handler, directory=str(self.root / key), hits=hits,
                                                     failing=self.failing)
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
            self.base_urls[key] = f"http://127.0.0.1:{server.server_address[1]}"
            self.hits[key] = hits
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def site_files(folder: Path) -> None:
    """Site files for both sites (base_url moved to the server with --base-url)."""
    folder.mkdir(parents=True, exist_ok=True)
    for key, name in (("noticea", "甲市科学技术协会"), ("noticeb", "乙县科学技术协会")):
        (folder / f"{key}.toml").write_text(
            f'name = "{name}"\nlevel = "city"\nregion = "江苏省"\nofficial = true\n'
            f'base_url = "http://{key}.example"\nstart_urls = ["/news/index.html"]\n'
            "article_pattern = '^/news/\\d+\\.html$'\npagination_pattern = '^/news/index_\\d+\\.html$'\n"
            '[politeness]\ndelay = 0.0\nconcurrency = 1\n', "utf-8")
