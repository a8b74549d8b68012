"""Videos: how fast geoloc reads a minute of 1080p video with its default sampling, against
decoding every frame, and whether the sign in it is read.

Each video is generated here: 60 s of 1920x1080 at 30 frames a second, H.264 (x264 "veryfast",
B-frames, as phones and messengers deliver it), a road scene the camera pans over and shakes in,
and one sign in view for a few seconds. Its keyframes come every ``--gops`` frames: 30 (one a
second, as phones write) and 250 (x264's default, as re-encoded uploads often have), so both of
geoloc's ways to reach a frame are measured (a seek to a keyframe; decoding on from the one before).

The sign is drawn from wider distributions than geoloc assumes, side by side:

| what | geoloc assumes | drawn here |
|---|---|---|
| time a sign is in view | at least 2 s (one frame read every 2 s) | 1.5-8 s |
| letter (cap) height | 12-50 px reads well (OCR benchmark) | 10-60 px at 1080p |
| position | anywhere | anywhere in the frame, 5% from its edges |
| camera | still or moving | pans 0-60 px/s, shakes 0-8 px, motion blur 0-14 px coming and going |
| focus | sharp | Gaussian blur sigma 0-1.5 px |
| kind | any | Ukrainian, Russian and EU direction signs, city-limit signs (names from GeoNames) |

For each video the table gives: decoding every frame (the baseline: frames/s and seconds per
minute of video), geoloc's sampling alone (frames decoded, seconds), the whole reading with OCR
(``geoloc.read.video.read_video``: seconds per minute, and the CPU seconds it used, which depend
less on other work), the frames read, and whether the sign's place name was read at a time it
was in view. A second table measures the near-duplicate test: a still
camera (sensor noise only) with a sign coming into view, compared by a 256-bit difference hash and
by geoloc's 64-cell grey thumbnail.

The machine may be busy with other work: the load average is printed before and after, and the
baseline is measured in the same run, on the same file, just before geoloc.

    python benchmarks/video.py                    # two videos (keyframes every 30 and 250 frames)
    python benchmarks/video.py --gops 30 --seed 3
    python benchmarks/video.py --keep videos/     # keep the generated videos
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

sys.path.append(str(Path(__file__).resolve().parents[1]))  # the repository's tests/support

from benchmarks.support.header import header_line  # noqa: E402
from geoloc.common.text import normalise  # noqa: E402
from geoloc.read.video import (  # noqa: E402
    DEFAULT_FRAMES_PER_MINUTE,
    NEAR_DUPLICATE_LEVELS,
    THUMB_CELLS,
    SamplingStats,
    read_video,
    sample_frames,
)
from tests.support.scenes import SignLine, SignSpec, name_pools, render_scene  # noqa: E402

SIZE = (1920, 1080)
FPS = 30
SECONDS = 60
MARGIN = 0.05  # the sign's centre stays this share of the frame away from its edges


def _sign(rng: np.random.Generator) -> tuple[SignSpec, str]:
    """A sign drawn from the table's distributions, and the place name to look for."""
    pools = name_pools()
    kind = str(rng.choice(["ua_direction", "ru_direction", "eu_direction", "ua_city_limit"]))
    cap = float(rng.uniform(10, 60))
    pos = (float(rng.uniform(MARGIN + 0.1, 0.9 - MARGIN)), float(rng.uniform(MARGIN + 0.1, 0.9 - MARGIN)))
    if kind in ("ua_direction", "ua_city_limit"):
        cyr, lat = pools["ua"][int(rng.integers(len(pools["ua"])))]
        line = SignLine(cyr, lat, None if kind == "ua_city_limit" else int(rng.integers(2, 300)))
        name = lat or cyr
    elif kind == "ru_direction":
        cyr, _ = pools["ru"][int(rng.integers(len(pools["ru"])))]
        line, name = SignLine(cyr, None, int(rng.integers(2, 300))), cyr
    else:
        lat, _ = pools["eu"][int(rng.integers(len(pools["eu"])))]
        line, name = SignLine(None, lat, int(rng.integers(2, 300))), lat
    spec = SignSpec(kind, (line,), cap_px=cap, position=pos, angle_deg=float(rng.uniform(-6, 6)))
    return spec, name


def _motion_kernel(length: float, angle: float) -> np.ndarray | None:
    if length < 1.5:
        return None
    k = int(math.ceil(length)) | 1
    kernel = np.zeros((k, k), np.float32)
    c = k // 2
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    cv2.line(kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1)
    return kernel / kernel.sum()


def draw(seed: int) -> dict:
    """What one video shows: its sign, when, and how the camera moves (the table's distributions)."""
    rng = np.random.default_rng(seed)
    spec, name = _sign(rng)
    view = float(rng.uniform(1.5, 8))
    return {
        "spec": spec,
        "name": name,
        "pan": float(rng.uniform(0, 60)),  # px per second
        "shake": float(rng.uniform(0, 8)),
        "blur": float(rng.uniform(0, 14)),
        "sigma": float(rng.uniform(0, 1.5)),
        "view": view,
        "from": float(rng.uniform(2, SECONDS - view - 2)),
        "scene_seed": int(rng.integers(2**31)),
    }


def make_video(path: Path, drawn: dict, gop: int) -> None:
    """Write one 60-second 1080p video of what ``draw`` drew."""
    spec, pan, shake, blur_max, sigma = drawn["spec"], drawn["pan"], drawn["shake"], drawn["blur"], drawn["sigma"]
    view, start, scene_seed = drawn["view"], drawn["from"], drawn["scene_seed"]
    wide = (SIZE[0] + int(pan * SECONDS) + 40, SIZE[1] + 40)
    placed = SignSpec(
        spec.kind,
        spec.lines,
        cap_px=spec.cap_px,
        position=(
            (spec.position[0] * SIZE[0] + pan * (start + view / 2)) / wide[0],
            (spec.position[1] * SIZE[1] + 20) / wide[1],
        ),
        angle_deg=spec.angle_deg,
    )
    bare_img, _ = render_scene([], seed=scene_seed, size=wide, lighting="day", blur=sigma)
    signed_img, truth = render_scene([placed], seed=scene_seed, size=wide, lighting="day", blur=sigma)
    bare, signed = np.asarray(bare_img), np.asarray(signed_img)
    with_sign = bare.copy()
    if truth:
        cap = int(spec.cap_px or 20)
        x0 = max(0, min(t.box[0] for t in truth) - 2 * cap)
        y0 = max(0, min(t.box[1] for t in truth) - 2 * cap)
        x1 = max(t.box[0] + t.box[2] for t in truth) + 2 * cap
        y1 = max(t.box[1] + t.box[3] for t in truth) + 2 * cap
        with_sign[y0:y1, x0:x1] = signed[y0:y1, x0:x1]
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        stream.gop_size = gop
        stream.options = {"preset": "veryfast", "crf": "23", "keyint_min": str(min(gop, 25))}
        for i in range(SECONDS * FPS):
            t = i / FPS
            x = int(pan * t + 20 + shake * math.sin(t * 7.1))
            y = int(20 + shake * math.sin(t * 5.3 + 1))
            frame = (with_sign if start <= t < start + view else bare)[y : y + SIZE[1], x : x + SIZE[0]]
            kernel = _motion_kernel(blur_max * abs(math.sin(t * 1.3)), t)
            if kernel is not None:
                frame = cv2.filter2D(frame, -1, kernel)
            video_frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
            for packet in stream.encode(video_frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _cpu_s() -> float:
    """CPU seconds of this process and of the children it waited for (the Tesseract runs): less
    at the mercy of the machine's other work than wall time."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def decode_all(path: Path) -> tuple[int, float]:
    """The baseline: every frame decoded (threaded, as geoloc decodes), nothing else."""
    t0 = time.perf_counter()
    n = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            n += 1
    return n, time.perf_counter() - t0


def dedupe_table(seed: int) -> list[str]:
    """How far apart a still camera's frames are, without and with a sign coming into view, by a
    difference hash (bits of 256) and by the grey thumbnail (the largest cell change)."""
    rng = np.random.default_rng(seed)
    bare_img, _ = render_scene([], seed=seed, size=(1280, 720), lighting="day", blur=0.3)
    bare = np.asarray(bare_img).astype(np.float32)
    rows = [
        "| sign cap height (px) | sign share of frame | dHash bits: sign / noise | "
        f"thumbnail levels: sign / noise (duplicate at <= {NEAR_DUPLICATE_LEVELS}) |",
        "|---|---|---|---|",
    ]
    for cap in (8, 12, 16, 24, 32):
        spec = SignSpec("eu_direction", (SignLine(None, "Chernihiv", 14),), cap_px=cap, position=(0.4, 0.4))
        signed_img, truth = render_scene([spec], seed=seed, size=(1280, 720), lighting="day", blur=0.3)
        x0, y0 = min(t.box[0] for t in truth) - cap, min(t.box[1] for t in truth) - cap
        x1, y1 = max(t.box[0] + t.box[2] for t in truth) + cap, max(t.box[1] + t.box[3] for t in truth) + cap
        with_sign = bare.copy()
        with_sign[y0:y1, x0:x1] = np.asarray(signed_img)[y0:y1, x0:x1]

        def shot(a: np.ndarray) -> np.ndarray:
            noisy = np.clip(a + rng.normal(0, 2, a.shape), 0, 255).astype(np.uint8)
            gray = cv2.cvtColor(cv2.resize(noisy, (640, 360), interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
            return gray

        a, b, c = shot(bare), shot(bare), shot(with_sign)

        def dhash(g: np.ndarray) -> np.ndarray:
            s = cv2.resize(g, (17, 16), interpolation=cv2.INTER_AREA).astype(np.int16)
            return s[:, 1:] > s[:, :-1]

        def thumb(g: np.ndarray) -> np.ndarray:
            return cv2.resize(g, (THUMB_CELLS, THUMB_CELLS * 9 // 16), interpolation=cv2.INTER_AREA).astype(np.int16)

        bits_sign, bits_noise = int((dhash(a) != dhash(c)).sum()), int((dhash(a) != dhash(b)).sum())
        lv_sign, lv_noise = int(np.abs(thumb(a) - thumb(c)).max()), int(np.abs(thumb(a) - thumb(b)).max())
        share = (x1 - x0) * (y1 - y0) / (1280 * 720)
        rows.append(f"| {cap} | {share:.1%} | {bits_sign} / {bits_noise} | {lv_sign} / {lv_noise} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gops", default="30,250", help="keyframe intervals, one video each [30,250]")
    ap.add_argument("--seed", type=int, default=1, help="generator seed of the first video [1]")
    ap.add_argument("--keep", type=Path, help="write the videos into this folder (reused when present)")
    args = ap.parse_args()

    print(header_line(f", PyAV {av.__version__} (FFmpeg {av.ffmpeg_version_info})"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="geoloc-video-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        "| video | sign | every frame: frames, s, frames/s, s per min | geoloc sampling: decoded, s, "
        "decoded/s | geoloc reading: s per min (CPU s per min), frames read | sign read in view |",
        "|---|---|---|---|---|---|",
    ]
    for k, gop in enumerate(int(g) for g in args.gops.split(",")):
        seed = args.seed + k
        path = folder / f"video_{seed}_gop{gop}.mp4"
        drawn = draw(seed)
        if not path.exists():
            make_video(path, drawn, gop)
        drawn["until"] = drawn["from"] + drawn["view"]
        n_all, t_all = decode_all(path)
        stats = SamplingStats()
        t0 = time.perf_counter()
        chosen = sum(1 for _ in sample_frames(path, DEFAULT_FRAMES_PER_MINUTE, stats=stats))
        t_sample = time.perf_counter() - t0
        t0, cpu0 = time.perf_counter(), _cpu_s()
        report = read_video(str(path))
        t_read, cpu_read = time.perf_counter() - t0, _cpu_s() - cpu0
        minutes = float(report.metadata.camera["duration_s"]) / 60
        wanted = normalise(drawn["name"])
        hits = [s for s in report.texts if normalise(s.text) == wanted]
        in_view = [s for s in hits if drawn["from"] - 1 <= (s.time_s or -9) <= drawn["until"] + 1]
        read = f"yes at {in_view[0].when()}" if in_view else ("yes, out of view" if hits else "no")
        sign = (
            f"{drawn['spec'].kind} '{drawn['name']}' cap {drawn['spec'].cap_px:.0f} px, "
            f"{drawn['from']:.1f}-{drawn['until']:.1f} s, "
            f"pan {drawn['pan']:.0f} px/s, shake {drawn['shake']:.0f} px, blur <= {drawn['blur']:.0f} px"
        )
        rows.append(
            f"| 1080p30, keyframe every {gop} | {sign} | {n_all}, {t_all:.1f}, {n_all / t_all:.0f}, "
            f"{t_all / minutes:.1f} | {stats.decoded} ({chosen} chosen), {t_sample:.1f}, "
            f"{stats.decoded / t_sample:.0f} | {t_read / minutes:.1f} ({cpu_read / minutes:.0f} CPU s), "
            f"{report.metadata.camera['frames_read']} "
            f"| {read} |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    print("\n".join(rows))
    print()
    print("\n".join(dedupe_table(args.seed)))
    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
