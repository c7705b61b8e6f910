"""Engine poses -> our gesture labels, by geometry of the noise-free posed hand.

The sampler's gesture name says what the fingers were asked to do; the label also depends on what the
camera sees: Pointing_Up / Thumb_Up / Thumb_Down are judged against the image's up (as MediaPipe's
GestureRecognizer does), and Pinch is "thumb tip on index tip, whatever the other fingers do".

Every sample gets a hard `label` and a `clear` flag. Unclear samples sit on a decision boundary of
the labelling itself (a finger 50 +- 7.5 degrees from up, tips 0.3-0.45 palm widths apart, a finger
pointing at the camera, a 'random' pose that happens to look like a canned gesture): the classifier
is trained on clear samples only; the held-out accuracy is reported on clear samples AND on all
samples with their hard labels (training/gesture/README.md).
"""
from __future__ import annotations

import numpy as np

LABELS = ["None", "Closed_Fist", "Open_Palm", "Pointing_Up", "Thumb_Down", "Thumb_Up", "Victory", "ILoveYou", "Pinch"]
L = {n: i for i, n in enumerate(LABELS)}

# A directional label holds when the finger's 2D direction is within this many degrees of the
# image's up (down for Thumb_Down); +- DIRECTION_BAND_DEG around it is unclear.
DIRECTION_CONE_DEG = 50.0
DIRECTION_BAND_DEG = 7.5
# A finger whose projected length is under this fraction of its length seen side-on points at (or
# away from) the camera: its image direction is unclear.
MIN_FORESHORTENING = 0.45
# Thumb tip to index tip in palm widths (index MCP to pinky MCP, 6.1 cm on the template): a pinch
# below PINCH_TOUCH (close_pinch leaves 0-6 mm gaps: 0.01-0.12 palm widths), unclear up to PINCH_CLEAR.
PINCH_TOUCH = 0.3
PINCH_CLEAR = 0.45
# Per-finger curl from the pose's flexion DOFs (0 straight .. 1 fist): extended / curled thresholds
# for spotting 'random'-like poses that look like a canned gesture.
CURL_EXTENDED = 0.25
CURL_CURLED = 0.55
FLEX_RANGE_DEG = {"mcp": 88.0, "pip": 102.0, "dip": 80.0}
FINGERS = ["index", "middle", "ring", "pinky"]
# Intents that are None by construction (the rest map to canned labels).
NONE_INTENTS = {"three", "four", "call", "l_shape", "grasp", "claw", "flat_bend", "independent", "random"}
# Open_Palm is "all five fingers extended" (MediaPipe), and a real open hand is often relaxed: the
# 'relaxed' and 'open_relaxed' intents are Open_Palm when every finger's curl is under OPEN_MAX_CURL
# (~27 degrees per joint on the most bent finger) and the thumb tip lies out beside the index, not
# across the palm (its palm-frame offset from the index MCP towards the thumb side > THUMB_OUT palm
# widths); unclear within OPEN_CURL_BAND / THUMB_OUT_BAND of those edges, None beyond.
OPEN_MAX_CURL = 0.3
OPEN_CURL_BAND = 0.06
THUMB_OUT = 0.2
THUMB_OUT_BAND = 0.15
# Intents whose fingers are random enough to look like a canned gesture by chance.
LOOSE_INTENTS = {"grasp", "claw", "flat_bend", "independent", "random"}


def finger_curls(pose, dof_index):
    out = {}
    for f in FINGERS:
        s = sum(max(0.0, np.degrees(pose[dof_index["%s_%s_flex" % (f, j)]])) / r for j, r in FLEX_RANGE_DEG.items())
        out[f] = s / 3.0
    return out


def thumb_out(kp3d):
    """Thumb tip's offset from the index MCP along the palm's thumb-side axis, in palm widths."""
    y = kp3d[9] - kp3d[0]
    y = y / np.linalg.norm(y)
    x = kp3d[5] - kp3d[17]
    x = x - x.dot(y) * y
    x = x / np.linalg.norm(x)
    return float((kp3d[4] - kp3d[5]).dot(x) / np.linalg.norm(kp3d[5] - kp3d[17]))


def up_angle_deg(p_from, p_to):
    """Angle of the 2D vector p_from -> p_to from the image's up (y down), 0..180."""
    d = np.asarray(p_to, float) - np.asarray(p_from, float)
    n = np.hypot(d[0], d[1])
    if n < 1e-9:
        return 90.0
    return float(np.degrees(np.arccos(np.clip(-d[1] / n, -1, 1))))


def foreshortening(kp3d_cam, a, b):
    """Projected / true length of segment a-b (orthographic approximation in the camera frame)."""
    d = kp3d_cam[b] - kp3d_cam[a]
    return float(np.hypot(d[0], d[1]) / max(np.linalg.norm(d), 1e-9))


def _direction(angle, fs, positive, cone=DIRECTION_CONE_DEG, band=DIRECTION_BAND_DEG):
    """(holds, clear) of a 'within cone of the axis' test."""
    holds = angle <= cone
    clear = abs(angle - cone) > band and fs >= MIN_FORESHORTENING
    return holds, clear


def label_pose(intent, thumb, pose, dof_index, kp3d_cam, kp2d):
    """(label index, clear) of one posed hand: kp3d_cam (21, 3) camera frame, kp2d (21, 2) image px."""
    pw = np.linalg.norm(kp3d_cam[5] - kp3d_cam[17])
    pinch_d = np.linalg.norm(kp3d_cam[4] - kp3d_cam[8]) / pw
    if pinch_d < PINCH_TOUCH:
        return L["Pinch"], True
    if pinch_d < PINCH_CLEAR:
        return (L["Pinch"] if intent in ("pinch", "ok") else L["None"]), False
    if intent in ("pinch", "ok"):
        return L["None"], False  # close_pinch did not close: a loose O, not a canned gesture
    curls = finger_curls(pose, dof_index)
    ext = {f: curls[f] < CURL_EXTENDED for f in FINGERS}
    cur = {f: curls[f] > CURL_CURLED for f in FINGERS}
    if intent == "fist":
        return L["Closed_Fist"], True
    if intent == "open":
        return L["Open_Palm"], True
    if intent in ("relaxed", "open_relaxed"):
        mc = max(curls.values())
        tx = thumb_out(kp3d_cam)
        is_open = mc < OPEN_MAX_CURL and tx > THUMB_OUT
        clear = abs(mc - OPEN_MAX_CURL) > OPEN_CURL_BAND and abs(tx - THUMB_OUT) > THUMB_OUT_BAND
        return (L["Open_Palm"] if is_open else L["None"]), clear
    if intent == "two":
        return L["Victory"], True
    if intent == "rock":
        return (L["ILoveYou"], True) if thumb[0] == "extended" else (L["None"], True)
    if intent == "point":
        up, clear = _direction(up_angle_deg(kp2d[5], kp2d[8]), foreshortening(kp3d_cam, 5, 8), True)
        return (L["Pointing_Up"] if up else L["None"]), clear
    if intent == "thumbs_up":
        a = up_angle_deg(kp2d[2], kp2d[4])
        fs = foreshortening(kp3d_cam, 2, 4)
        up, clear_up = _direction(a, fs, True)
        down, clear_down = _direction(180.0 - a, fs, True)
        lab = L["Thumb_Up"] if up else L["Thumb_Down"] if down else L["None"]
        return lab, clear_up and clear_down
    if intent == "three" and cur["ring"]:
        return L["None"], False  # the sampler's "three" variant: a V with the thumb out
    if intent == "four":
        return L["None"], True  # an open palm with the thumb across it (ASL B): not all five fingers extended
    if intent in LOOSE_INTENTS:
        looks = (
            all(cur.values())
            or all(ext.values())
            or (ext["index"] and ext["middle"] and cur["ring"] and cur["pinky"])
            or (ext["index"] and cur["middle"] and cur["ring"] and cur["pinky"])
            or (ext["index"] and ext["pinky"] and cur["middle"] and cur["ring"])
        )
        return L["None"], not looks
    assert intent in NONE_INTENTS, intent
    return L["None"], True
