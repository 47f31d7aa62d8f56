# -*- coding: latin-1 -*-
NAME = 'café'; from app.nowhere import y
