"""Payment ledgers written by the tests, and the database figures they are checked against.

The expected totals are computed here from the ledger's own values, independently of the
importer; the database is read with plain SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
from openpyxl import Workbook

from monitor.store import payment_months
from monitor.store.batches import new_batch
from monitor.store.db import REPO_ROOT

HEADER_YUAN = ["项目编码", "支付日期", "金额（元）", "凭证号", "摘要"]


def pay(con: duckdb.DuckDBPyConnection, project: str, *rows: tuple[str, str]) -> None:
    """Payments (day, amount in 元) of a 2023 project written as one constructed batch, the way an
    import writes them (payment_months kept in step)."""
    batch = new_batch(con, "payments", "constructed", f"test-{project}-{len(rows)}", len(rows), "test")
    payment_months.insert(
        con,
        ("year", "project_code", "paid_on", "amount", "batch_id"),
        [(2023, project, dt.date.fromisoformat(d), Decimal(a), batch) for d, a in rows],
        batch,
    )


def demo_codes() -> list[str]:
    with open(REPO_ROOT / "data" / "demo" / "projects.csv", encoding="utf-8") as f:
        return [row["project_code"] for row in csv.DictReader(f)]


@dataclass(frozen=True)
class Line:
    project_code: str
    paid_on: dt.date
    yuan: Decimal  # the amount in 元
    voucher: str
    summary: str


def ledger() -> list[Line]:
    """Five payments of the 4th quarter of 2023 on the demo projects, one of them a refund."""
    codes = demo_codes()
    return [
        Line(codes[1], dt.date(2023, 10, 8), Decimal("12345.67"), "T-1001", "十月科普活动场地费"),
        Line(codes[0], dt.date(2023, 10, 9), Decimal("800.00"), "T-1002", "研究院耗材"),
        Line(codes[3], dt.date(2023, 10, 20), Decimal("-150.50"), "T-1003", "退回多付的材料费"),
        Line(codes[2], dt.date(2023, 11, 2), Decimal("1234567.89"), "T-1004", "老科协活动经费"),
        Line(codes[4], dt.date(2023, 12, 28), Decimal("5000.00"), "T-1005", "优秀科技工作者奖励"),
    ]


def ledger_csv(path: Path) -> Path:
    """The ledger as a plain UTF-8 CSV with amounts in 元."""
    return write_csv(path, HEADER_YUAN, [[x.project_code, x.paid_on.isoformat(), str(x.yuan), x.voucher, x.summary] for x in ledger()])


def big_ledger(path: Path, rows: int, voucher_prefix: str = "K") -> Path:
    """`rows` payments in the 4th quarter of 2023 spread over the demo projects, each with its own voucher."""
    codes = demo_codes()
    lines = [
        [
            codes[i % len(codes)],
            (dt.date(2023, 10, 1) + dt.timedelta(days=i % 90)).isoformat(),
            f"{1 + i % 97}.{i % 100:02d}",
            f"{voucher_prefix}-{i}",
            f"批量 {i}",
        ]
        for i in range(rows)
    ]
    return write_csv(path, HEADER_YUAN, lines)


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.create_sheet("空白")  # an empty second sheet, as workbooks often have
    book.save(path)
    return path


def totals(db: Path) -> tuple[int, Decimal]:
    """Number of stored payments and their sum in 元."""
    con = duckdb.connect(str(db))
    try:
        count, total = con.execute("SELECT count(*), coalesce(sum(amount), 0) FROM payments").fetchone()
    finally:
        con.close()
    return count, total


def stored(db: Path, batch_id: int) -> set[tuple]:
    con = duckdb.connect(str(db))
    try:
        rows = con.execute(
            "SELECT project_code, paid_on, amount, voucher_no, summary FROM payments WHERE batch_id = ?", [batch_id]
        ).fetchall()
    finally:
        con.close()
    return set(rows)
