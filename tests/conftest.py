"Test-suite set-up: figures, bench output and data caches go to temporary folders, never into the checkout."
import os, tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix='maskinterp-tests-'))
# Set at import time: the notebooks run in this process (nbdev's runner), so they see these too.
os.environ.setdefault('MASKINTERP_FIGURES', str(_TMP/'figures'))
os.environ.setdefault('MASKINTERP_BENCH', str(_TMP/'bench'))
os.environ.setdefault('MASKINTERP_DATA', str(_TMP/'data'))
os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('OMP_NUM_THREADS', str(os.cpu_count() or 1))
