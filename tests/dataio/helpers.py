import io

from django.core.files.uploadedfile import SimpleUploadedFile


def csv_file(text: str, *, encoding="utf-8", name="data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(sheets: dict[str, list[list]], name="data.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def post_import(client, kind, upload, *, dry_run=False, **extra):
    url = f"/api/import/{kind}/" + ("?dry_run=1" if dry_run else "")
    return client.post(url, {"file": upload, **extra})
