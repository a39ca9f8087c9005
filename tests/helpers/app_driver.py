"""Runs the real app in its own process and starts recording an answer, for the crash and
shutdown tests.

Prints RECORDING when the take is being written, then keeps running until it is killed or
closed by SIGTERM/SIGINT (handled as the real app does).
Usage: python -m tests.helpers.app_driver   (COACH_DATA_DIR and the sound server from the env)
"""

from __future__ import annotations

import sys


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from coach.app import close_on_signals, create_main_window
    from coach.core.interview import Phase

    window = create_main_window()
    close_on_signals(window)
    window.show()
    setup = window.setup_view
    setup.bank_box.setCurrentIndex(1)
    setup.count_box.setValue(1)
    setup.think_box.setCurrentIndex(setup.think_box.findData(0))
    setup.voice_check.setChecked(False)
    setup.start_button.click()

    def report() -> None:
        interview = window.controller.interview
        recorder = window.controller.recorder
        recording = interview is not None and interview.phase is Phase.RECORDING
        if recording and recorder is not None and recorder.poll().elapsed_s > 0:  # audio arrives
            print("RECORDING", flush=True)
            return
        QTimer.singleShot(20, report)

    QTimer.singleShot(20, report)
    app = QApplication.instance()
    assert app is not None
    sys.exit(app.exec())


if __name__ == "__main__":
    main()
