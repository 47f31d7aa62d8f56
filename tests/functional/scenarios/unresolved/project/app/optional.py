try:
    from app.services.metrics import record
except ImportError:
    record = None
