"""Old name of ``experiments.running.stats`` (tests/test_validation.py and test_cogovernance.py
still import it): this module *is* that one."""

import sys

from experiments.running import stats

sys.modules[__name__] = stats
