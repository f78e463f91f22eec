"""A text-message backend for fault tests run on a real worker: it writes each message it
sends to the file named by ``SLOW_SMS_LOG`` (workers are other processes), then takes a few
seconds, as a slow gateway does, so a second delivery of the same task runs meanwhile."""

import os
import time
from pathlib import Path

SECONDS = 3.0


class SlowRecordingSmsBackend:
    def send(self, *, to: str, body: str) -> None:
        with Path(os.environ["SLOW_SMS_LOG"]).open("a", encoding="utf-8") as log:
            log.write(f"{to}\n")
        time.sleep(SECONDS)
