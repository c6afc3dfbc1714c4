__version__ = "0.0.1"

import logging

# Set before any submodule imports transformers (which imports bitsandbytes): on CPUs with AVX512-BF16, bitsandbytes
# warns that an optional kernel could not be fetched from the Hub; offline that is expected, and its built-in CPU
# kernels serve instead.
logging.getLogger('bitsandbytes.backends.cpu.ops').setLevel(logging.ERROR)
