"""The multi-task hand network (HIU-DMTL port): encoder = the MediaPipe landmark network, decoders trained here."""
