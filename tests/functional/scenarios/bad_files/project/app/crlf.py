import os


from app.nowhere import (
    w,
)
