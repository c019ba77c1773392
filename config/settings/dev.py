from config.env import env_bool
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
VIGIE_TWO_FACTOR_REQUIRED = env_bool("VIGIE_TWO_FACTOR_REQUIRED", False)
