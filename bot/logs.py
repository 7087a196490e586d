"""Logging setup: plain lines on stderr, phone and ID numbers masked."""

from __future__ import annotations

import logging

from models.text import mask_personal_numbers


class MaskPhones(logging.Filter):
    """Citizens' phone and resident ID numbers never reach the logs in full: masked as
    department staff see them (`mask_personal_numbers`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class OverlappingSweep(logging.Filter):
    """A sweep still busy when the next one is due (a burst of pushes) is skipped by
    design (max_instances=1, coalesce): not worth a warning every interval."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskPhones())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(OverlappingSweep())
