from app.user_context import UserContext
from app.services.user_context import UserContxt, ContextManager
from app.services.hints import UserContext as Hinted
from ...outside import thing
import app.servics.user_context
import requests
from app.services import user_context, missing_module
