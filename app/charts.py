"""The dashboards' charts are the library's (`review.charts`), shared with the session reports."""

from review.charts import *  # noqa: F401,F403
from review.charts import Chart, png  # noqa: F401
