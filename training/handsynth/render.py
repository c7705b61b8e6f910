"""One synthetic sample: scene sampling + rendering + exact labels.

`render_sample(seed, index)` is a pure function of (seed, index, Config): the same arguments give
the same bytes (numpy's PCG64 seeded with [seed, index]; PIL's JPEG codec). A sample is:

- a webcam/phone-like source camera (resolution, field of view), a posed hand (left or right, pose
  from the gesture prior, bone-length and girth variation) with a skinned forearm (skin or sleeve),
  sometimes a second hand and occluding objects, lights, skin material, background;
- the crop exactly as the live pipeline makes it: MediaPipe's landmarks -> ROI rule applied to the
  hand's projected keypoints, then jittered like a tracker's errors (centre, scale, angle), mapped
  to 224 x 224 with the area convention of src/core/geometry/cropTransform.ts; parts of the ROI
  outside the source frame are black (tf.image.transform's constant 0 fill);
- rendered directly in crop coordinates at a resolution that follows the ROI's size in source
  pixels (small, far hands are upsampled and blurry like in the live crop), camera effects applied
  there (blur, motion blur, exposure, white balance, noise, JPEG), then resized to 224;
- labels: 2D keypoints (crop pixels), visibility (depth buffer + part test), hand mask (the
  target hand only, cut at the wrist), 3D keypoints and joints (camera frame, metres), the model
  parameters and the skinned vertices.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from . import appearance as ap
from .background import sample_background, value_noise
from .geometry import LANDMARK_INPUT, Camera, RotatedRect, crop_to_image, image_to_crop, roi_from_landmarks
from .meshes import box, cylinder, ellipsoid, forearm, vertex_normals
from .model import HandParams, forward, load_hand_model, rotation_from_vector, vector_from_rotation
from .poses import PoseSampler
from .raster import rasterize


@dataclass
class Config:
    crop_size: int = LANDMARK_INPUT
    render_min: int = 128  # render resolution follows the ROI's source size, clamped to this range
    render_max: int = 320
    wrist_cut: float = -0.008  # metres along the hand's long axis (model y) from the wrist joint: hand mask ends here
    p_second_hand: float = 0.15
    p_occluder: float = 0.22
    p_sleeve: float = 0.45
    p_frame_edge: float = 0.12  # hand placed near / across the source frame's border
    p_motion_blur: float = 0.18
    p_jpeg: float = 0.7
    shadow_map: int = 112
    min_keypoints_in_view: int = 8
    min_mask_px: int = 400
    max_hidden: float = 0.55  # redraw scenes where other objects hide more of the hand than this
    vis_depth_tol: float = 0.022  # metres (x hand scale): a keypoint is visible if its own part is this close in depth
    scene: str = ""  # '' = the default mix; one of SCENES = every sample that hard scene (validation per scene type)


# Hard scenes (issue 14) a Config can force; '' draws exactly the default stream.
#   face: a face right behind the hand; egocentric: a head-mounted view, the back of the hand, fingers
#   up, entering from the bottom edge, in a sleeve; many_hands: 3-4 hands in the frame; low_light:
#   a dim exposure with strong sensor noise.
SCENES = ("face", "egocentric", "many_hands", "low_light")


SOURCE_RESOLUTIONS = [(640, 480), (1280, 720), (1920, 1080), (960, 540), (720, 1280), (1080, 1920), (640, 360), (1024, 768)]
SOURCE_RES_P = [0.22, 0.3, 0.12, 0.08, 0.1, 0.06, 0.06, 0.06]

_SAMPLERS = {}
_FRONT = -1  # front faces have a negative signed screen area (y down)


def _pose_sampler(handedness):
    if handedness not in _SAMPLERS:
        _SAMPLERS[handedness] = PoseSampler(load_hand_model(handedness))
    return _SAMPLERS[handedness]


def _rot(axis, angle):
    from .model import axis_angle_matrix

    a = np.asarray(axis, float)
    return axis_angle_matrix(a / np.linalg.norm(a), angle)


# ---------------------------------------------------------------------------------------------
# hands
# ---------------------------------------------------------------------------------------------
@dataclass
class HandInstance:
    params: HandParams
    girth: float
    gesture: str
    wrist_flex: float
    wrist_dev: float
    posed: object = None
    rest_vertices: np.ndarray = None
    arm: dict = field(default_factory=dict)


def _girth_vertices(handedness, girth):
    m = load_hand_model(handedness)
    if abs(girth - 1) < 1e-6:
        return m.vertices
    at = ap.surface_attributes(handedness)
    foot = _chain_feet(handedness)
    ja = at.joint_arclen[at.finger]
    mcp = ja[:, 1]
    mcp = np.where(at.finger == 0, ja[:, 0], mcp)
    w = ap.smoothstep(mcp - 0.004, mcp + 0.012, at.arclen)
    return foot + (m.vertices - foot) * (1 + (girth - 1) * w)[:, None]


_FEET = {}


def _chain_feet(handedness):
    if handedness not in _FEET:
        m = load_hand_model(handedness)
        at = ap.surface_attributes(handedness)
        idx = {n: i for i, n in enumerate(m.joint_names)}
        feet = np.zeros_like(m.vertices)
        for fi, f in enumerate(ap.FINGER_ORDER):
            pts = np.array([m.joints[0]] + [m.joints[idx[j]] for j in ap.FINGER_JOINTS[f]])
            d = pts[-1] - pts[-2]
            pts[-1] = pts[-1] + d / np.linalg.norm(d) * 0.012
            sel = at.finger == fi
            _, _, _, foot = ap._polyline_project(m.vertices[sel], pts)
            feet[sel] = foot
        _FEET[handedness] = feet
    return _FEET[handedness]


def sample_hand(rng, handedness, gesture=None):
    pose, gesture = _pose_sampler(handedness).sample(rng, gesture)
    return hand_with_pose(rng, handedness, pose, gesture)


def hand_with_pose(rng, handedness, pose, gesture):
    """A hand of random build (bone lengths, size, girth, wrist flexion and deviation) in `pose`."""
    m = load_hand_model(handedness)
    finger_f = rng.normal(1, 0.035, 5)
    bs = np.ones(m.num_shapes)
    for i, name in enumerate(m.shape_names):
        f = ap.FINGER_ORDER.index(name.split(".")[0])
        bs[i] = finger_f[f] * rng.normal(1, 0.03)
    bs = np.clip(bs, 0.82, 1.22)
    gs = float(np.clip(rng.normal(0.93, 0.07), 0.72, 1.12))
    girth = float(np.clip(rng.normal(1.0, 0.07), 0.85, 1.2))
    p = HandParams(handedness, np.zeros(3), np.zeros(3), pose, bs, gs)
    flex = float(np.clip(rng.normal(0, 0.45), -1.2, 1.2))
    dev = float(np.clip(rng.normal(0.05, 0.18), -0.4, 0.55))
    return HandInstance(p, girth, gesture, flex, dev)


def hand_orientation(rng, handedness, view=None):
    """Global rotation: yaw about the hand's long axis (palm / back / side towards the camera),
    pitch (fingers towards / away from the camera), roll (in-plane, uniform)."""
    u = rng.random() if view is None else view
    if u < 0.42:
        yaw = rng.normal(0, 0.6)  # palm towards the camera
    elif u < 0.77:
        yaw = math.pi + rng.normal(0, 0.6)  # back of the hand
    else:
        yaw = (1 if rng.random() < 0.5 else -1) * math.pi / 2 + rng.normal(0, 0.4)  # side views
    pitch = float(np.clip(rng.normal(0, 0.5), -1.3, 1.3))
    roll = rng.uniform(-math.pi, math.pi)
    base = -math.pi / 2 if handedness == "right" else math.pi / 2
    R = _rot([0, 0, 1], roll) @ _rot([1, 0, 0], pitch) @ _rot([0, 1, 0], base + yaw)
    return R


def pose_hand(h: HandInstance, with_arm=True, sleeve=None, arm_width=1.0):
    m = load_hand_model(h.params.handedness)
    h.rest_vertices = _girth_vertices(h.params.handedness, h.girth)
    h.posed = forward(m, h.params, rest_vertices=h.rest_vertices)
    if with_arm:
        at = ap.surface_attributes(h.params.handedness)
        radial = np.array([0.139, -0.015, 0.990])
        if h.params.handedness == "left":
            radial = radial * np.array([-1, 1, 1])
        V, F, along, sl = forearm(at.palm_normal, radial, h.wrist_flex, h.wrist_dev, width_scale=arm_width * (0.5 + 0.5 * h.girth), sleeve_from=sleeve)
        R = h.posed.R
        cam = (V * h.params.global_scale) @ R.T + h.params.translation
        # the forearm's rest frame = the hand's model frame: rest 'normal' for the palmar test
        h.arm = dict(V=cam, F=F, rest=V, along=along, sleeve=sl)
    return h


# ---------------------------------------------------------------------------------------------
# scene
# ---------------------------------------------------------------------------------------------
@dataclass
class Scene:
    cam: Camera
    hand: HandInstance
    others: list  # second hands
    objects: list  # occluders: dict(V, F, colour, spec, shin, tex)
    roi: RotatedRect
    roi_exact: RotatedRect
    render_size: int
    info: dict


def _place_hand(rng, h: HandInstance, cam: Camera, R, cfg: Config, centre_px=None, depth=None, edge=False, bottom=False):
    """Sets the global rotation and a translation that puts the keypoints' centre at `centre_px`
    (source pixels) and depth `depth`; both sampled when None (near the frame's border if `edge`;
    low in the frame and at arm's length from a head-mounted camera if `bottom`)."""
    h.params.global_rotation = vector_from_rotation(R)
    h.params.translation = np.zeros(3)
    m = load_hand_model(h.params.handedness)
    rel = forward(m, h.params, vertices=False).keypoints  # wrist at the origin
    c = rel.mean(axis=0)
    if depth is None:
        depth = float(rng.uniform(0.3, 0.65)) if bottom else float(np.exp(rng.uniform(np.log(0.22), np.log(1.3))))
    if centre_px is None:
        if bottom:
            centre_px = (rng.uniform(0.15, 0.85) * cam.width, rng.uniform(0.8, 0.98) * cam.height)
        elif edge:
            centre_px = (rng.uniform(-0.05, 1.05) * cam.width, rng.uniform(-0.05, 1.05) * cam.height)
            if rng.random() < 0.5:
                centre_px = (centre_px[0], float(rng.choice([-0.02, 1.02])) * cam.height)
            else:
                centre_px = (float(rng.choice([-0.02, 1.02])) * cam.width, centre_px[1])
        else:
            centre_px = (rng.uniform(0.12, 0.88) * cam.width, rng.uniform(0.12, 0.88) * cam.height)
    ray = np.array([(centre_px[0] - cam.cx) / cam.fx, (centre_px[1] - cam.cy) / cam.fy, 1.0])
    h.params.translation = ray * depth - c
    return depth


def _fingers_up(rng, h: HandInstance, R):
    """`R` turned about the camera's axis so the hand points up in the picture (wrist -> middle
    finger MCP within ~20 degrees of up), as hands seen from a head-mounted camera do."""
    h.params.global_rotation = vector_from_rotation(R)
    h.params.translation = np.zeros(3)
    k = forward(load_hand_model(h.params.handedness), h.params, vertices=False).keypoints
    d = k[9] - k[0]
    want = -math.pi / 2 + rng.normal(0, 0.35)  # image y points down
    return _rot([0, 0, 1], want - math.atan2(d[1], d[0])) @ R


def _keep_in_frame(rng, h: HandInstance, cam: Camera, depth):
    """Moves (and if needed pushes back) the hand so its landmark ROI lies inside the source frame."""
    m = load_hand_model(h.params.handedness)
    for _ in range(3):
        kp = forward(m, h.params, vertices=False).keypoints
        px = cam.project(kp)
        roi = roi_from_landmarks(px)
        half = roi.width / 2 * (abs(math.cos(roi.rotation)) + abs(math.sin(roi.rotation)))
        lim = 0.92 * min(cam.width, cam.height)
        if 2 * half > lim:
            depth *= 2 * half / lim
            half = lim / 2
        delta = px.mean(axis=0) - np.array([roi.cx, roi.cy])
        target = np.array([rng.uniform(half, cam.width - half), rng.uniform(half, cam.height - half)]) + delta
        ray = np.array([(target[0] - cam.cx) / cam.fx, (target[1] - cam.cy) / cam.fy, 1.0])
        h.params.translation = ray * depth - (kp - h.params.translation).mean(axis=0)
        x0, y0 = roi.cx - half, roi.cy - half
        if x0 >= 0 and y0 >= 0 and roi.cx + half <= cam.width and roi.cy + half <= cam.height:
            break


def _arm_ok(h: HandInstance):
    """The forearm must stay in front of the camera (its far end at z > 0.1 m)."""
    R = rotation_from_vector(h.params.global_rotation)
    at = ap.surface_attributes(h.params.handedness)
    radial = np.array([0.139, -0.015, 0.990]) * (np.array([-1, 1, 1]) if h.params.handedness == "left" else 1)
    d = _rot(radial, -h.wrist_flex) @ _rot(at.palm_normal, -h.wrist_dev) @ np.array([0, -1.0, 0])
    end = R @ (d * 0.26 * h.params.global_scale) + h.params.translation
    # in front of the camera, and not coming much closer to it than the hand (a forearm pointing
    # at the camera fills the crop; it happens, but rarely in webcam use)
    return end[2] > max(0.1, 0.6 * h.params.translation[2])


def jitter_roi(rng, roi: RotatedRect):
    side = roi.width
    u = rng.random()
    if u < 0.8:
        off, sc, ang = rng.normal(0, 0.05, 2), math.exp(rng.normal(0, 0.08)), rng.normal(0, math.radians(7))
    elif u < 0.9:  # detection-like crop: MediaPipe's palm rule gives ~1.3x the tracking crop
        off, sc, ang = rng.normal(0, 0.07, 2), 1.3 * math.exp(rng.normal(0, 0.08)), rng.normal(0, math.radians(10))
    else:  # a tracker lagging behind fast motion
        off, sc, ang = rng.normal(0, 0.14, 2), math.exp(rng.normal(0, 0.2)), rng.normal(0, math.radians(22))
    c, s = math.cos(roi.rotation), math.sin(roi.rotation)
    dx, dy = off[0] * side, off[1] * side
    return RotatedRect(roi.cx + dx * c - dy * s, roi.cy + dx * s + dy * c, roi.width * sc, roi.height * sc, roi.rotation + ang)


def sample_scene(rng, cfg: Config = Config(), gesture=None) -> Scene:
    k = rng.choice(len(SOURCE_RESOLUTIONS), p=np.array(SOURCE_RES_P) / sum(SOURCE_RES_P))
    W, H = SOURCE_RESOLUTIONS[k]
    fov = rng.uniform(48, 82)
    cam = Camera.from_fov(W, H, fov) if W >= H else Camera.from_fov(W, H, math.degrees(2 * math.atan(math.tan(math.radians(fov) / 2) * W / H)))
    handed = "right" if rng.random() < 0.5 else "left"
    h = sample_hand(rng, handed, gesture)
    ego = cfg.scene == "egocentric"
    edge = ego or rng.random() < cfg.p_frame_edge
    for _ in range(12):
        R = hand_orientation(rng, handed, view=0.6 if ego else None)
        if ego:
            R = _fingers_up(rng, h, R)
        depth = _place_hand(rng, h, cam, R, cfg, edge=edge, bottom=ego)
        if not edge:
            _keep_in_frame(rng, h, cam, depth)
        if _arm_ok(h):
            break
        h.wrist_flex *= 0.5
    sleeve = None
    if ego or rng.random() < cfg.p_sleeve:
        sleeve = float(rng.uniform(0.0, 0.18)) if rng.random() < 0.85 else 0.0
    pose_hand(h, sleeve=sleeve, arm_width=rng.uniform(0.9, 1.1))
    kp_src = cam.project(h.posed.keypoints)
    roi_exact = roi_from_landmarks(kp_src)
    roi = jitter_roi(rng, roi_exact)
    q = int(np.clip(round(roi.width), cfg.render_min, cfg.render_max))
    info = dict(gesture=h.gesture, handedness=handed, source=(W, H), fov=fov, sleeve=sleeve, frame_edge=edge)

    others = []
    n_others = int(rng.integers(2, 4)) if cfg.scene == "many_hands" else int(rng.random() < cfg.p_second_hand)
    for _ in range(n_others):
        oh = "left" if handed == "right" else "right"
        if rng.random() < 0.3:
            oh = handed
        h2 = sample_hand(rng, oh)
        h2.params.global_scale = h.params.global_scale * rng.uniform(0.9, 1.1)
        ang = rng.uniform(0, 2 * math.pi)
        dist = roi.width * rng.uniform(0.25, 0.65)
        centre = (roi.cx + dist * math.cos(ang), roi.cy + dist * math.sin(ang))
        depth = float(np.clip(h.params.translation[2] + rng.normal(0, 0.06), 0.15, 3))
        for _ in range(8):
            _place_hand(rng, h2, cam, hand_orientation(rng, oh), cfg, centre_px=centre, depth=depth)
            if _arm_ok(h2):
                break
            h2.wrist_flex *= 0.5
        pose_hand(h2, sleeve=sleeve if rng.random() < 0.7 else None)
        others.append(h2)
        info["second_hand"] = oh
    if n_others > 1:
        info["hands"] = 1 + n_others

    objects = []
    if rng.random() < cfg.p_occluder:
        for _ in range(1 if rng.random() < 0.75 else 2):
            objects.append(_sample_object(rng, h, cam))
        info["objects"] = [o["kind"] for o in objects]
    return Scene(cam, h, others, objects, roi, roi_exact, q, info)


def _sample_object(rng, h: HandInstance, cam: Camera):
    kind = ["pen", "cup", "phone", "ball", "box", "bottle"][rng.integers(6)]
    s = h.params.global_scale
    if kind == "pen":
        V, F = cylinder(rng.uniform(0.004, 0.008), rng.uniform(0.12, 0.17), 10)
    elif kind in ("cup", "bottle"):
        V, F = cylinder(rng.uniform(0.025, 0.045), rng.uniform(0.08, 0.22), 20)
    elif kind == "phone":
        V, F = box(rng.uniform(0.065, 0.08), rng.uniform(0.13, 0.165), rng.uniform(0.007, 0.011))
    elif kind == "box":
        V, F = box(*rng.uniform(0.03, 0.15, 3))
    else:
        r = rng.uniform(0.025, 0.06)
        V, F = ellipsoid(r, r * rng.uniform(0.85, 1.0), r)
    # random orientation
    Rq = _rot(rng.normal(size=3), rng.uniform(0, math.pi))
    V = V @ Rq.T
    kp = h.posed.keypoints
    held = h.gesture in ("grasp", "pinch", "fist", "claw") and rng.random() < 0.6
    if held:
        # in the hand: between the palm centre and the fingertips, a little to the palmar side
        palm = kp[[0, 5, 9, 13, 17]].mean(axis=0)
        tips = kp[[8, 12, 16]].mean(axis=0)
        at = ap.surface_attributes(h.params.handedness)
        nrm = h.posed.R @ at.palm_normal
        pos = palm * 0.4 + tips * 0.6 + nrm * rng.uniform(0.01, 0.03) * s
    else:
        # just in front of the hand (towards the camera), overlapping part of it: a few cm, so it
        # hides some fingers rather than the whole hand
        target = kp[rng.integers(21)]
        toward = -target / np.linalg.norm(target)
        lateral = rng.normal(0, 0.035, 3) * s
        pos = target + toward * rng.uniform(0.015, 0.07) + lateral
        if pos[2] < 0.1:
            pos = pos * (0.1 / pos[2])
    V = V + pos
    hsv = (rng.random(), rng.uniform(0, 0.9), rng.uniform(0.1, 1.0))
    from .background import _hsv

    colour = _hsv(*hsv)
    colour2 = colour * rng.uniform(0.3, 1.5, 3)
    return dict(
        kind=kind,
        V=V,
        F=F,
        colour=colour,
        colour2=np.clip(colour2, 0, 1),
        spec=rng.uniform(0.02, 0.5),
        shin=rng.uniform(10, 120),
        tex_w=rng.normal(size=3) * rng.uniform(20, 300),
        held=held,
    )


# ---------------------------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------------------------
OBJ_HAND, OBJ_ARM, OBJ_OTHER_HAND, OBJ_OTHER_ARM, OBJ_THING = 0, 1, 2, 3, 4


@dataclass
class Sample:
    image: np.ndarray  # (224, 224, 3) uint8
    mask: np.ndarray  # (224, 224) uint8, 0..255 coverage of the target hand (wrist-cut)
    kp2d: np.ndarray  # (21, 2) float32 crop pixels (area convention)
    vis: np.ndarray  # (21,) uint8: 1 = visible (not occluded, inside the crop and the frame)
    kp3d: np.ndarray  # (21, 3) float32 camera frame, metres
    joints3d: np.ndarray  # (25, 3) float32 WebXR joints, camera frame
    vertices: np.ndarray  # (1360, 3) float32 skinned mesh, camera frame (the rendered one, girth applied)
    params: np.ndarray  # (51,) float32 packed [rot 3 | trans 3 | pose 24 | shape 20 | scale 1]
    handedness: int  # 0 right, 1 left
    girth: float
    roi: np.ndarray  # (5,) cx, cy, width, height, rotation of the crop in source pixels
    roi_exact: np.ndarray  # (5,) the ROI before jitter (the landmarks -> ROI rule on the true keypoints)
    cam: np.ndarray  # (6,) fx, fy, cx, cy, width, height of the source camera
    info: dict


def render_sample(seed: int, index: int, cfg: Config = Config(), gesture=None) -> Sample:
    """Sample `index` of the stream `seed`. Scenes where the target hand is barely in the crop
    (fewer than `min_keypoints_in_view` keypoints inside both the crop and the source frame, a
    mask under `min_mask_px` pixels, or more than `max_hidden` of its silhouette hidden by other
    objects) are re-drawn from the same generator, so every sample shows its hand."""
    rng = np.random.default_rng([int(seed), int(index)])
    for attempt in range(10):
        scene = sample_scene(rng, cfg, gesture)
        kp = image_to_crop(scene.roi, scene.cam.project(scene.hand.posed.keypoints), LANDMARK_INPUT)
        src = scene.cam.project(scene.hand.posed.keypoints)
        ok = (
            ((kp >= 0) & (kp < LANDMARK_INPUT)).all(axis=1)
            & (src[:, 0] >= 0)
            & (src[:, 0] < scene.cam.width)
            & (src[:, 1] >= 0)
            & (src[:, 1] < scene.cam.height)
        )
        if ok.sum() < cfg.min_keypoints_in_view and attempt < 9:
            continue
        s = render_scene(rng, scene, cfg)
        if (int((s.mask >= 128).sum()) >= cfg.min_mask_px and s.info["hidden"] <= cfg.max_hidden) or attempt == 9:
            s.info["attempts"] = attempt + 1
            return s
    return s


def _project(scene: Scene, points_cam, size):
    """Camera-frame points -> pixels of the crop rendered at `size` x `size`."""
    uv_crop = image_to_crop(scene.roi, scene.cam.project(points_cam), LANDMARK_INPUT)
    return uv_crop * (size / LANDMARK_INPUT)


def render_scene(rng, scene: Scene, cfg: Config = Config()) -> Sample:
    """Renders `scene` in crop coordinates at its render size, applies the camera effects, resizes
    to the crop and builds the labels. The random draws keep a fixed order (skins, sleeve fabric,
    lights, background, cast shadow, camera effects): the same generator state gives the same bytes."""
    size = scene.render_size
    hand = scene.hand
    skin = ap.sample_skin(rng)
    other_skin = skin if rng.random() < 0.7 else ap.sample_skin(rng)
    sleeve_fabric = _fabric(rng)

    parts = _gather_parts(scene)
    mesh = _merge_parts(parts)
    uv = _project(scene, mesh.vertices, size)
    raster = rasterize(uv, mesh.vertices[:, 2], mesh.triangles, size, size, cull=_FRONT)
    surface = _surface_at_pixels(mesh, raster)

    lights = ap.sample_lights(rng, np.array([0.0, -1.0, 0.0]))
    shadow = _shadow(mesh.vertices, mesh.triangles, surface.position, lights.key_dir, cfg.shadow_map, hand)
    radiance = _shade(scene, parts, surface, lights, shadow, skin, other_skin, sleeve_fabric)

    background, background_kind = sample_background(rng, size, face=cfg.scene == "face")
    composite, foreground, covered = _composite(rng, background, surface.pixels, radiance, lights, size)

    mask_render = _hand_mask(surface, size, cfg)
    visible_render = _visibility(scene, raster, mesh.triangles, mesh.object_of_triangle, size, cfg)
    hidden = _hidden_fraction(parts[0], uv, surface, size)

    photo, blur_sigma, jpeg_quality, motion_blur = _camera_effects(rng, composite, foreground, covered, background, size, cfg)
    image, mask = _resize_to_crop(photo, mask_render, size)
    # outside the source frame: black, like tf.image.transform's constant fill
    inside = _inside_frame(scene)
    image[~inside] = 0
    mask = np.where(inside, mask, 0)
    mask8 = np.clip(mask * 255 + 0.5, 0, 255).astype(np.uint8)

    kp2d, visible = _keypoint_labels(scene, visible_render, inside)
    info = dict(
        scene.info,
        background=background_kind,
        render_size=size,
        jpeg=jpeg_quality,
        blur=round(float(blur_sigma), 2),
        motion_blur=motion_blur,
        skin_tone=round(skin.tone, 3),
        hidden=round(hidden, 3),
    )
    return _sample(scene, image, mask8, kp2d, visible, info)


# ---------------------------------------------------------------------------------------------
# render_scene's steps: gather, surface, shade, composite, labels, camera effects
# ---------------------------------------------------------------------------------------------
# per-vertex surface attributes the shaders read ('rest' is (n, 3), the others (n,))
SURFACE_KEYS = ("rest", "arclen", "lateral", "palmar", "palm_u", "palm_v", "along", "sleeve")


@dataclass
class MeshPart:
    """One mesh of the scene (a hand, a forearm, an occluder) in the camera frame."""

    vertices: np.ndarray  # (n, 3) camera frame, metres
    triangles: np.ndarray  # (m, 3) indices into `vertices`
    object_id: int  # OBJ_*
    attributes: dict  # some of SURFACE_KEYS -> per-vertex arrays; the missing ones read as zero


@dataclass
class SceneMesh:
    """All parts concatenated: what the rasteriser and the shaders see."""

    vertices: np.ndarray  # (N, 3)
    triangles: np.ndarray  # (M, 3) int32
    object_of_triangle: np.ndarray  # (M,) OBJ_* per triangle
    attributes: dict  # every SURFACE_KEYS entry, per vertex
    normals: np.ndarray  # (N, 3)


@dataclass
class PixelSurface:
    """The surface seen at each covered render pixel (perspective-correct interpolation)."""

    pixels: np.ndarray  # (n,) flat indices of the pixels that a triangle covers
    object_id: np.ndarray  # (n,) OBJ_* of that triangle
    position: np.ndarray  # (n, 3) camera frame
    normal: np.ndarray  # (n, 3) unit
    attributes: dict  # SURFACE_KEYS -> (n,) or (n, 3)
    nearest_vertex: np.ndarray  # (n,) the triangle's vertex of largest weight (for discrete attributes)


def _hand_attrs(hand: HandInstance):
    surface = ap.surface_attributes(hand.params.handedness)
    return dict(
        rest=hand.rest_vertices,
        arclen=surface.arclen,
        lateral=surface.lateral,
        palmar=surface.palmar,
        palm_u=surface.palm_uv[:, 0],
        palm_v=surface.palm_uv[:, 1],
    )


def _gather_parts(scene: Scene):
    """The target hand first (the hidden-fraction label relies on it), its forearm, the other hands
    with their forearms, then the occluders."""
    hand = scene.hand
    parts = [
        MeshPart(hand.posed.vertices, load_hand_model(hand.params.handedness).triangles, OBJ_HAND, _hand_attrs(hand)),
        MeshPart(hand.arm["V"], hand.arm["F"], OBJ_ARM, _arm_attrs(hand)),
    ]
    for other in scene.others:
        parts.append(MeshPart(other.posed.vertices, load_hand_model(other.params.handedness).triangles, OBJ_OTHER_HAND, _hand_attrs(other)))
        parts.append(MeshPart(other.arm["V"], other.arm["F"], OBJ_OTHER_ARM, _arm_attrs(other)))
    for k, thing in enumerate(scene.objects):
        parts.append(MeshPart(thing["V"], thing["F"], OBJ_THING + k, dict(rest=thing["V"])))
    return parts


def _merge_parts(parts) -> SceneMesh:
    triangles, object_of_triangle, first_vertex = [], [], 0
    attributes = {key: [] for key in SURFACE_KEYS}
    for part in parts:
        n = len(part.vertices)
        triangles.append(part.triangles + first_vertex)
        object_of_triangle.append(np.full(len(part.triangles), part.object_id, np.int32))
        for key in SURFACE_KEYS:
            value = part.attributes.get(key)
            if value is None:
                value = np.zeros((n, 3)) if key == "rest" else np.zeros(n)
            attributes[key].append(np.asarray(value, float))
        first_vertex += n
    vertices = np.concatenate([part.vertices for part in parts])
    triangles = np.concatenate(triangles).astype(np.int32)
    return SceneMesh(
        vertices, triangles, np.concatenate(object_of_triangle), {key: np.concatenate(v) for key, v in attributes.items()}, vertex_normals(vertices, triangles)
    )


def _surface_at_pixels(mesh: SceneMesh, raster) -> PixelSurface:
    pixels = np.nonzero(raster.tri >= 0)[0]
    triangle = raster.tri[pixels]
    bary = raster.bary[pixels].astype(np.float64)
    corners = mesh.triangles[triangle]
    scalar_keys = SURFACE_KEYS[1:]
    channels = np.concatenate([mesh.vertices, mesh.normals, mesh.attributes["rest"], np.stack([mesh.attributes[key] for key in scalar_keys], 1)], axis=1)
    at_pixel = channels[corners[:, 0]] * bary[:, 0:1] + channels[corners[:, 1]] * bary[:, 1:2] + channels[corners[:, 2]] * bary[:, 2:3]
    normal = at_pixel[:, 3:6]
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-9)
    attributes = dict(rest=at_pixel[:, 6:9], **{key: at_pixel[:, 9 + i] for i, key in enumerate(scalar_keys)})
    nearest_vertex = corners[np.arange(len(corners)), np.argmax(bary, axis=1)]
    return PixelSurface(pixels, mesh.object_of_triangle[triangle], at_pixel[:, 0:3], normal, attributes, nearest_vertex)


def _shade(scene: Scene, parts, surface: PixelSurface, lights, shadow, skin, other_skin, sleeve_fabric):
    """Linear radiance (n, 3) of the covered pixels: each object's material, then the lights."""
    n = len(surface.pixels)
    albedo = np.zeros((n, 3))
    specular = np.zeros(n)
    shininess = np.ones(n) * 10
    subsurface = np.zeros(n)
    attrs = surface.attributes
    finger_of_vertex = _vertex_finger(parts)
    other_hand = scene.others[0] if scene.others else None
    for object_id, material, hand in ((OBJ_HAND, skin, scene.hand), (OBJ_OTHER_HAND, other_skin, other_hand)):
        sel = surface.object_id == object_id
        if not sel.any():
            continue
        hand_surface = ap.surface_attributes(hand.params.handedness)
        pixel_attrs = dict(
            rest=attrs["rest"][sel],
            arclen=attrs["arclen"][sel],
            lateral=attrs["lateral"][sel],
            palmar=attrs["palmar"][sel],
            palm_u=attrs["palm_u"][sel],
            palm_v=attrs["palm_v"][sel],
            finger=finger_of_vertex[surface.nearest_vertex[sel]],
            ja=hand_surface.joint_arclen * 1.0,
        )
        albedo[sel], specular[sel], shininess[sel] = ap.skin_albedo(material, pixel_attrs, hand.girth)
        subsurface[sel] = material.subsurface
    for object_id, material in ((OBJ_ARM, skin), (OBJ_OTHER_ARM, other_skin)):
        sel = surface.object_id == object_id
        if not sel.any():
            continue
        rest = attrs["rest"][sel]
        arm_albedo = ap.base_skin(material, rest, attrs["palmar"][sel], np.zeros(int(sel.sum())))
        in_sleeve = attrs["sleeve"][sel] > 0.5
        if in_sleeve.any():
            arm_albedo[in_sleeve] = _fabric_albedo(sleeve_fabric, rest[in_sleeve])
        albedo[sel] = arm_albedo
        specular[sel] = np.where(in_sleeve, 0.01, material.spec)
        shininess[sel] = np.where(in_sleeve, 5, material.shininess)
        subsurface[sel] = np.where(in_sleeve, 0.1, material.subsurface)
    for k, thing in enumerate(scene.objects):
        sel = surface.object_id == OBJ_THING + k
        if not sel.any():
            continue
        stripes = 0.5 + 0.5 * np.sin(attrs["rest"][sel] @ thing["tex_w"])
        albedo[sel] = thing["colour"][None] * (1 - stripes[:, None]) + thing["colour2"][None] * stripes[:, None]
        specular[sel] = thing["spec"]
        shininess[sel] = thing["shin"]
        subsurface[sel] = 0.0
    return ap.shade(albedo, surface.normal, surface.position, specular, shininess, lights, shadow, subsurface=subsurface, sss_tint=np.array([1.0, 0.55, 0.45]))


def _composite(rng, background, pixels, radiance, lights, size):
    """The background (35 %: with the foreground's cast shadow) under the shaded pixels.
    -> image (size * size, 3), foreground alone (size * size, 3), covered (size * size,) bool."""
    image = background.reshape(-1, 3).copy()
    covered = np.zeros(size * size, bool)
    covered[pixels] = True
    if rng.random() < 0.35:
        image = _cast_shadow(rng, image, covered, lights, size)
    foreground = np.zeros((size * size, 3), np.float32)
    foreground[pixels] = radiance
    image[pixels] = radiance
    return image, foreground, covered


def _hand_mask(surface: PixelSurface, size, cfg: Config):
    """Coverage (size * size,) float32 of the target hand, cut at the wrist."""
    on_hand = (surface.object_id == OBJ_HAND) & (surface.attributes["rest"][:, 1] >= cfg.wrist_cut)
    mask = np.zeros(size * size, np.float32)
    mask[surface.pixels[on_hand]] = 1.0
    return mask


def _hidden_fraction(hand_part: MeshPart, uv, surface: PixelSurface, size):
    """How much of the target hand the other objects hide: its silhouette alone (at half
    resolution) against its pixels in the scene. `uv` starts with the hand's vertices."""
    n_hand = len(hand_part.vertices)
    alone = rasterize(uv[:n_hand] / 2, hand_part.vertices[:, 2], hand_part.triangles, size // 2, size // 2, cull=_FRONT)
    alone_px = int((alone.tri >= 0).sum()) * 4
    seen_px = int((surface.object_id == OBJ_HAND).sum())
    return 1.0 - min(1.0, seen_px / max(1, alone_px))


def _camera_effects(rng, composite, foreground, covered, background, size, cfg: Config):
    """Motion blur, optics blur, exposure / colour / noise, 8-bit quantisation and JPEG, at the
    render size. -> (PIL RGB image, blur sigma, JPEG quality or None, whether motion blur was applied)."""
    image = composite.reshape(size, size, 3)
    alpha = covered.reshape(size, size).astype(np.float32)
    motion_blur = bool(rng.random() < cfg.p_motion_blur)
    if motion_blur:
        length = rng.uniform(2, 10) * size / LANDMARK_INPUT
        angle = rng.uniform(0, math.pi)
        if rng.random() < 0.5:
            image = _motion_blur(image, length, angle)
        else:  # the hand moves, the background does not
            moving = _motion_blur(foreground.reshape(size, size, 3) * alpha[..., None], length, angle)
            moving_alpha = _motion_blur(alpha[..., None], length, angle)
            image = background.reshape(size, size, 3) * (1 - moving_alpha) + moving
    blur_sigma = rng.uniform(0.3, 0.9) if rng.random() < 0.85 else rng.uniform(0.9, 2.2)
    image = _gauss_blur(image, blur_sigma)
    image = _camera(rng, image, low_light=cfg.scene == "low_light")
    image8 = (np.clip(image, 0, 1) * 255 + rng.random(image.shape) * 0.999).astype(np.uint8)
    photo = Image.fromarray(image8, "RGB")
    jpeg_quality = None
    if rng.random() < cfg.p_jpeg:
        jpeg_quality = int(rng.integers(35, 96))
        buf = io.BytesIO()
        photo.save(buf, "JPEG", quality=jpeg_quality)
        photo = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return photo, blur_sigma, jpeg_quality, motion_blur


def _resize_to_crop(photo, mask_render, size):
    """Render size -> the crop size (bilinear): image (uint8, writable) and mask (float)."""
    if size != LANDMARK_INPUT:
        photo = photo.resize((LANDMARK_INPUT, LANDMARK_INPUT), Image.BILINEAR)
    image = np.asarray(photo).copy()
    mask = mask_render.reshape(size, size)
    if size != LANDMARK_INPUT:
        mask = np.asarray(Image.fromarray(mask, "F").resize((LANDMARK_INPUT, LANDMARK_INPUT), Image.BILINEAR))
    return image, mask


def _keypoint_labels(scene: Scene, visible_render, inside):
    """Keypoints in crop pixels; visible = seen in the render, inside the crop and the source frame."""
    kp2d = image_to_crop(scene.roi, scene.cam.project(scene.hand.posed.keypoints), LANDMARK_INPUT)
    in_crop = (kp2d[:, 0] >= 0) & (kp2d[:, 0] < LANDMARK_INPUT) & (kp2d[:, 1] >= 0) & (kp2d[:, 1] < LANDMARK_INPUT)
    px = np.clip(kp2d[:, 0].astype(int), 0, LANDMARK_INPUT - 1)
    py = np.clip(kp2d[:, 1].astype(int), 0, LANDMARK_INPUT - 1)
    return kp2d, visible_render & in_crop & inside[py, px]


def _sample(scene: Scene, image, mask8, kp2d, visible, info) -> Sample:
    hand = scene.hand
    p = hand.params
    cam = scene.cam
    return Sample(
        image=image,
        mask=mask8,
        kp2d=kp2d.astype(np.float32),
        vis=visible.astype(np.uint8),
        kp3d=hand.posed.keypoints.astype(np.float32),
        joints3d=hand.posed.joints.astype(np.float32),
        vertices=hand.posed.vertices.astype(np.float32),
        params=np.concatenate([p.global_rotation, p.translation, p.pose, p.bone_scales, [p.global_scale]]).astype(np.float32),
        handedness=0 if p.handedness == "right" else 1,
        girth=float(hand.girth),
        roi=scene.roi.to_array().astype(np.float32),
        roi_exact=scene.roi_exact.to_array().astype(np.float32),
        cam=np.array([cam.fx, cam.fy, cam.cx, cam.cy, cam.width, cam.height], np.float32),
        info=info,
    )


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _arm_attrs(h: HandInstance):
    at = ap.surface_attributes(h.params.handedness)
    rest = h.arm["rest"]
    # palmar side of the forearm: the rest-frame direction of the palm normal
    c = rest - rest.mean(axis=0)
    c = c - np.outer(c @ np.array([0, 1.0, 0]), [0, 1.0, 0])
    pal = (c @ at.palm_normal) / np.maximum(np.linalg.norm(c, axis=1), 1e-9)
    return dict(rest=rest, palmar=pal, along=h.arm["along"], sleeve=h.arm["sleeve"].astype(float))


def _vertex_finger(parts):
    """Finger id per scene vertex (hands: from the surface attributes, identical for both
    handednesses since the left model is the mirror image; other meshes: 0)."""
    fing = ap.surface_attributes("right").finger
    return np.concatenate([fing if part.object_id in (OBJ_HAND, OBJ_OTHER_HAND) else np.zeros(len(part.vertices), np.int64) for part in parts])


def _fabric(rng):
    from .background import _hsv

    c1 = _hsv(rng.random(), rng.uniform(0, 0.8), rng.uniform(0.05, 0.9))
    c2 = c1 * rng.uniform(0.5, 1.3, 3)
    return dict(c1=c1, c2=np.clip(c2, 0, 1), w=rng.normal(size=3) * rng.uniform(100, 800), stripes=rng.random() < 0.4)


def _fabric_albedo(col, rest):
    t = 0.5 + 0.5 * np.sin(rest @ col["w"])
    if col["stripes"]:
        t = (t > 0.5).astype(float)
    else:
        t = 0.8 + 0.2 * t
        return col["c1"][None] * t[:, None]
    return col["c1"][None] * (1 - t[:, None]) + col["c2"][None] * t[:, None]


def _shadow(Vc, Fc, pos, key_dir, size, h: HandInstance):
    """Shadow-map test of the key light (orthographic along the light direction) for the shaded points."""
    l = key_dir / np.linalg.norm(key_dir)
    e1 = np.cross(l, [0.0, 1.0, 0.0] if abs(l[1]) < 0.9 else [1.0, 0.0, 0.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(l, e1)
    hv = h.posed.vertices
    s_h = np.stack([hv @ e1, hv @ e2], 1)
    lo = s_h.min(0) - 0.05
    hi = s_h.max(0) + 0.05
    scale = size / (hi - lo).max()
    sv = (np.stack([Vc @ e1, Vc @ e2], 1) - lo) * scale
    depth = 10.0 - Vc @ l  # larger = farther from the light
    R = rasterize(sv, depth, Fc, size, size, cull=None)
    dmap = R.depth.reshape(size, size)
    sp = (np.stack([pos @ e1, pos @ e2], 1) - lo) * scale
    pd = 10.0 - pos @ l
    x = np.clip(sp[:, 0] - 0.5, 0, size - 1.001)
    y = np.clip(sp[:, 1] - 0.5, 0, size - 1.001)
    x0, y0 = x.astype(int), y.astype(int)
    bias = 0.004
    occl = np.zeros(len(pos))
    for dy in (0, 1):
        for dx in (0, 1):
            wgt = (x - x0 if dx else 1 - (x - x0)) * (y - y0 if dy else 1 - (y - y0))
            occl += wgt * (dmap[np.minimum(y0 + dy, size - 1), np.minimum(x0 + dx, size - 1)] < pd - bias)
    inside = (sp[:, 0] >= 0) & (sp[:, 0] < size) & (sp[:, 1] >= 0) & (sp[:, 1] < size)
    return occl * inside


def _cast_shadow(rng, img, covered, lights, q):
    """The foreground's soft shadow on a surface behind it (the background)."""
    l = lights.key_dir
    off = -np.array([l[0], l[1]]) / max(1e-3, np.hypot(l[0], l[1]))
    dist = rng.uniform(0.03, 0.25) * q
    sm = covered.reshape(q, q).astype(np.float32)
    dx, dy = int(round(off[0] * dist)), int(round(off[1] * dist))
    sh = np.zeros_like(sm)
    ys = slice(max(0, dy), q + min(0, dy))
    yd = slice(max(0, -dy), q + min(0, -dy))
    xs = slice(max(0, dx), q + min(0, dx))
    xd = slice(max(0, -dx), q + min(0, -dx))
    sh[ys, xs] = sm[yd, xd]
    sh = _gauss_blur(sh[..., None], rng.uniform(2, 10) * q / LANDMARK_INPUT)[..., 0]
    k = rng.uniform(0.3, 0.7)
    return img * (1 - k * sh.reshape(-1, 1))


def _gauss_kernel(sigma):
    r = max(1, int(math.ceil(sigma * 3)))
    x = np.arange(-r, r + 1)
    k = np.exp(-x * x / (2 * sigma * sigma))
    return k / k.sum(), r


def _gauss_blur(img, sigma):
    if sigma < 0.2:
        return img
    k, r = _gauss_kernel(sigma)
    p = np.pad(img, ((r, r), (0, 0), (0, 0)), mode="edge")
    out = sum(k[i] * p[i : i + img.shape[0]] for i in range(len(k)))
    p = np.pad(out, ((0, 0), (r, r), (0, 0)), mode="edge")
    return sum(k[i] * p[:, i : i + img.shape[1]] for i in range(len(k))).astype(np.float32)


def _motion_blur(img, length, angle):
    n = max(2, int(round(length)))
    dx, dy = math.cos(angle), math.sin(angle)
    acc = np.zeros_like(img)
    for i in range(n):
        t = (i / (n - 1) - 0.5) * length
        sx, sy = int(round(t * dx)), int(round(t * dy))
        acc += np.roll(np.roll(img, sy, axis=0), sx, axis=1)
    return acc / n


def _camera(rng, img, low_light=False):
    """Exposure (auto-exposure towards a random target), white balance, saturation, tone curve, sensor
    noise; `low_light`: a dim exposure and a sensor at high gain (always noisy, and more)."""
    lum = float(img.mean())
    target = rng.uniform(0.015, 0.05) if low_light else rng.uniform(0.1, 0.3)
    img = img * (target / max(lum, 1e-4)) * math.exp(rng.normal(0, 0.25))
    wb = np.exp(rng.normal(0, 0.07, 3))
    img = img * wb[None, None]
    # shot + read noise in linear light
    if rng.random() < 0.8 or low_light:
        k = rng.uniform(0.003, 0.015) if low_light else rng.uniform(0.0005, 0.006)
        read = rng.uniform(0.002, 0.008) if low_light else rng.uniform(0.0, 0.004)
        sd = np.sqrt(np.clip(img, 0, None) * k + read * read)
        luma_only = rng.random() < 0.5
        if luma_only:
            img = img + sd * rng.normal(size=img.shape[:2])[..., None].astype(np.float32)
        else:
            img = img + sd * rng.normal(size=img.shape).astype(np.float32)
    out = ap.linear_to_srgb(img)
    # saturation and contrast
    g = out.mean(axis=2, keepdims=True)
    out = g + (out - g) * rng.uniform(0.7, 1.3)
    c = rng.uniform(0.85, 1.2)
    out = (out - 0.5) * c + 0.5 + rng.normal(0, 0.03)
    return np.clip(out, 0, 1).astype(np.float32)


def _inside_frame(scene: Scene):
    u = np.arange(LANDMARK_INPUT) + 0.5
    uu, vv = np.meshgrid(u, u)
    xy = crop_to_image(scene.roi, np.stack([uu, vv], -1), LANDMARK_INPUT)
    W, H = scene.cam.width, scene.cam.height
    return (xy[..., 0] >= 0) & (xy[..., 0] < W) & (xy[..., 1] >= 0) & (xy[..., 1] < H)


_ALLOWED = {}


def _allowed_parts(handedness):
    """Per keypoint, the joints whose skinned surface counts as 'the keypoint itself' for visibility."""
    if handedness in _ALLOWED:
        return _ALLOWED[handedness]
    m = load_hand_model(handedness)
    n = len(m.joint_names)
    children = [[c for c in range(n) if m.parents[c] == j] for j in range(n)]
    out = []
    for k in range(21):
        j = m.kp_joint[k]
        if m.kp_vertex[k] >= 0:  # fingertip vertex on the distal bone
            s = {j} | set(children[j])
        elif m.parents[j] < 0:  # wrist: the palm
            s = {j} | set(children[j])
        else:
            s = {j, m.parents[j]} | set(children[j])
        out.append(np.array(sorted(s)))
    _ALLOWED[handedness] = out
    return out


def _visibility(scene: Scene, raster, triangles, object_of_triangle, size, cfg: Config):
    """Per keypoint: does the render show its own part of the target hand (3x3 px, within the depth tolerance)?"""
    h = scene.hand
    m = load_hand_model(h.params.handedness)
    uvq = _project(scene, h.posed.keypoints, size)
    z = h.posed.keypoints[:, 2]
    allowed = _allowed_parts(h.params.handedness)
    dom = m.dominant_joint()
    tri = raster.tri.reshape(size, size)
    depth = raster.depth.reshape(size, size)
    bary = raster.bary.reshape(size, size, 3)
    nv_hand = len(m.vertices)
    vis = np.zeros(21, bool)
    tol = cfg.vis_depth_tol * h.params.global_scale
    for k in range(21):
        x, y = int(math.floor(uvq[k, 0])), int(math.floor(uvq[k, 1]))
        x0, x1, y0, y1 = max(0, x - 1), min(size, x + 2), max(0, y - 1), min(size, y + 2)
        if x1 <= x0 or y1 <= y0:
            continue
        t = tri[y0:y1, x0:x1].ravel()
        ok = t >= 0
        if not ok.any():
            continue
        t = t[ok]
        on_hand = object_of_triangle[t] == OBJ_HAND
        if not on_hand.any():
            continue
        b = bary[y0:y1, x0:x1].reshape(-1, 3)[ok]
        vi = triangles[t, np.argmax(b, axis=1)]
        part = np.where(on_hand, dom[np.minimum(vi, nv_hand - 1)], -1)
        d = depth[y0:y1, x0:x1].ravel()[ok]
        good = on_hand & np.isin(part, allowed[k]) & (np.abs(d - z[k]) < tol)
        vis[k] = bool(good.any())
    return vis
