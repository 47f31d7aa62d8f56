from .. import helpers
from ..helpers import helper as h
from . import *
import app.helpers
