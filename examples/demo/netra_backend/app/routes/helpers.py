def format_response(data: dict) -> dict:
    return {"data": data}
