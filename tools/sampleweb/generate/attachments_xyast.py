# ruff: noqa: E501  (data rows are long lines on purpose)
"""xyast's notices with attachments (issue 24): a Chinese CID-font PDF, a DOCX, an XLSX and an old XLS
linked from two articles, as county sites publish them (附件1：… under the text).

The files are made with the libraries that write them (tools/sampleweb/generate/attachfiles.py: reportlab, python-docx,
openpyxl, xlwt, the project's dev extra), the same bytes on every run. expected.json lists each with
the article linking it, its name, its MIME type and a phrase of its text.
"""

from __future__ import annotations

from typing import Any

from .common import Out, esc

KEY = "xyast"
# article id -> (path, link text, file name the archive should keep, kind, a phrase of the file's text)
XY_ATTACHMENTS: dict[int, list[tuple[str, str, str, str, str]]] = {
    2902: [("/uploadfile/2022/0315/kjzc_fa.pdf", "附件1：科技之春活动方案.pdf", "科技之春活动方案.pdf", "pdf", "科普宣传月广场活动方案"),
           ("/uploadfile/2022/0315/bmb.docx", "附件2：科普志愿者报名表.docx", "科普志愿者报名表.docx", "docx",
            "志愿服务意向")],
    2895: [("/uploadfile/2022/0222/zzh.xlsx", "附件1：葡萄种植户名单.xlsx", "葡萄种植户名单.xlsx", "xlsx", "阿湖镇桃园村"),
           ("/uploadfile/2022/0222/zdb.xls", "附件2：技术指导登记表.xls", "技术指导登记表.xls", "xls", "扣棚升温指导")],
}
MIMES = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "xls": "application/vnd.ms-excel"}


def _file(kind: str, phrase: str) -> bytes:
    from tools.sampleweb.generate import attachfiles

    if kind == "pdf":  # part of it in traditional script, as some scanned-then-typed notices are
        return attachfiles.pdf(["新沂市科协2022年“科技之春”", f"{phrase}", "一、活動時間：2022年3月13日上午",
                                "二、活動地點：市人民廣場", "三、參與單位：市農業農村局、衛健委等20餘家"])
    if kind == "docx":
        return attachfiles.docx(["科普志愿者报名表"], [["姓名", "单位", phrase], ["", "", ""]])
    rows: list[list[object]] = [["序号", "姓名", "村组", "备注"], [1, "张师傅", phrase, "葡萄大棚6个"],
                                [2, "李大姐", "阿湖镇黑埠村", "葡萄大棚3个"]]
    if kind == "xlsx":
        return attachfiles.xlsx(rows)
    return attachfiles.xls([["日期", "地点", "内容"], ["2022-02-20", "阿湖镇葡萄产业园", phrase]])


def attachment_links(aid: int) -> str:
    """The 附件 lines under an article's text (inside its content cell)."""
    return "\n".join(f'<p>　　<a href="{path}" target="_blank">{esc(text)}</a></p>'
                     for path, text, _, _, _ in XY_ATTACHMENTS.get(aid, []))


def build_attachments(out: Out) -> None:
    for files in XY_ATTACHMENTS.values():
        for path, _, _, kind, phrase in files:
            out.site(KEY, path, _file(kind, phrase))


def expected_attachments() -> list[dict[str, Any]]:
    return [{"page": f"/xwdt/{aid}.htm", "path": path, "name": name, "mime": MIMES[kind], "contains": phrase}
            for aid, files in sorted(XY_ATTACHMENTS.items()) for path, _, name, kind, phrase in files]
