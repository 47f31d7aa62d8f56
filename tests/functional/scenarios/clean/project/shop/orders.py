import json, os.path as osp
from shop import catalog
from shop.catalog import (
    Product,
    Product as Item,
)
from . import catalog as cat
from .pricing import *

try:
    import ujson as fast_json
except ImportError:
    fast_json = json


class Order:
    pass


def find_orders(sku):
    return [price(Product(sku))]
