from app.missing import y
