__version__ = "0.0.1"

import logging
import os


class _OfflineKernelNotice(logging.Filter):
    """Drops the two lines bitsandbytes' import logs offline on a CPU with AVX512-BF16: it asks the hub for an optional
    kernel (the `kernels` package logs that it skips the publisher check, then bitsandbytes that the fetch failed),
    though its built-in CPU kernels serve. Only those records, and only offline; levels and handlers are untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        offline = os.environ.get('HF_HUB_OFFLINE', '').lower() in ('1', 'true', 'yes', 'on')
        said = record.getMessage()
        return not (offline and ('quantization-bitsandbytes' in said or 'gemm_4bit_forward' in said))


logging.getLogger('elm_nb').addHandler(logging.NullHandler())  # the library's logger: silent unless the app configures
for _name in ('kernels._internals.hf_hub', 'bitsandbytes.backends.cpu.ops'):  # the two loggers that say it
    logging.getLogger(_name).addFilter(_OfflineKernelNotice())
