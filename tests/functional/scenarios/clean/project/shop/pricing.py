__all__ = ['price']

def price(item):
    return 1

def _rounding():
    return 0
