from app.core.config import Settings, get_settings
from app.core import config
import app.core.config
import os
