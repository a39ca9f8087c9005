"""Speech analysis of recorded answers. Imports no Qt and no audio devices."""
