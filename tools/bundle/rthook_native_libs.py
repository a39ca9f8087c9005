"""PyInstaller runtime hook: the bundle uses its own PortAudio and espeak-ng, never the system's.

Runs before the app in every process of the bundle (the spawned speech and analysis workers
too). On Linux, sounddevice asks ctypes.util.find_library("portaudio") and pyttsx3 dlopens
"libespeak-ng.so.1" by name; both would find only system copies (or none). So find_library looks
in the bundle first, libespeak-ng is loaded from the bundle before pyttsx3 asks (a later dlopen
of the same soname returns the loaded one), and espeak-ng reads its voices from the bundled
espeak-ng-data (ESPEAK_DATA_PATH names the folder that holds it). Windows and macOS: the
sounddevice wheel carries PortAudio and pyttsx3 uses SAPI5 / NSSpeechSynthesizer, so nothing to do.
"""

import ctypes
import ctypes.util
import os
import sys

_HERE = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))

if sys.platform.startswith("linux"):
    _system_find_library = ctypes.util.find_library

    def _bundled_first(name):
        for entry in sorted(os.listdir(_HERE)):
            if entry.startswith(f"lib{name}.so"):
                return os.path.join(_HERE, entry)
        return _system_find_library(name)

    ctypes.util.find_library = _bundled_first
    if os.path.isdir(os.path.join(_HERE, "espeak-ng-data")):
        os.environ["ESPEAK_DATA_PATH"] = _HERE
    _espeak = os.path.join(_HERE, "libespeak-ng.so.1")
    if os.path.isfile(_espeak):
        ctypes.CDLL(_espeak, mode=ctypes.RTLD_GLOBAL)
