"""Old name of ``experiments.running.runner`` (tests/test_validation.py and test_cogovernance.py
still import it): this module *is* that one."""

import sys

from experiments.running import runner

sys.modules[__name__] = runner
