"""Products."""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shop.orders import Order


@dataclasses.dataclass
class Product:
    sku: str

    def orders(self) -> list[Order]:
        from shop.orders import find_orders
        return find_orders(self.sku)
