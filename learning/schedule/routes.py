"""Schedule pages: /sessions, /sessions/<id>, /series/new, /series/<id>, /my/schedule."""
from flask import Blueprint

bp = Blueprint("schedule", __name__)
