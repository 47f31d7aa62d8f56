import os

NAME = 'ÿ'
