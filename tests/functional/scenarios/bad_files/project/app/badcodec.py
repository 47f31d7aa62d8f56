# -*- coding: klingon -*-
import os
