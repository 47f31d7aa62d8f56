import os
from app.nowhere import z
