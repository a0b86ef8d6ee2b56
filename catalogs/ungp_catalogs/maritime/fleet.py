"""A synthetic fleet: MMSI, IMO, names, ship types and hull particulars.

Hull particulars are drawn per ship class from plausible ranges. The hull model is the one the
payload method assumes (MAN Energy Solutions 2011, used by Cerdeiro et al. 2020): displacement
D(T) = 1.025 * Cb(T) * L * B * T with the block coefficient varying with draught,
Cb(T) = 1 - (1 - Cb_design) * (T_design / T)^(1/3). Deadweight DWT = f * D(T_design) with f in
0.75-0.82, the lightship displacement is D(T_design) - DWT, and the simulation sets the exact
draught T so that D(T) = lightship + cargo on board. A draught change therefore recovers the
cargo moved through the draught-adjusted displacement (to the 0.1 m resolution AIS reports).
This is implemented here independently of ungp_methods, so the library is checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Maritime Identification Digits of common flag states (ITU): MMSI = MID + 6 digits.
MIDS = (
    477,
    563,
    564,
    636,
    538,
    351,
    352,
    353,
    209,
    210,
    215,
    229,
    248,
    256,
    257,
    311,
    244,
    211,
    218,
    413,
    414,
    440,
    431,
    533,
    370,
)

# class, AIS ship type code, share, length range m, L/B, Cb range, T/L, speed kn range
CLASSES = (
    ("container", 70, 0.40, (170, 400), 7.3, (0.60, 0.70), 0.043, (15.0, 19.0)),
    ("bulk carrier", 70, 0.25, (150, 300), 6.6, (0.82, 0.87), 0.060, (11.0, 14.0)),
    ("tanker", 80, 0.20, (140, 330), 5.7, (0.80, 0.85), 0.065, (11.5, 14.5)),
    ("general cargo", 70, 0.15, (90, 170), 6.2, (0.68, 0.78), 0.060, (10.0, 14.0)),
)
NAME_A = (
    "Nordic",
    "Pacific",
    "Atlantic",
    "Golden",
    "Silver",
    "Ocean",
    "Coral",
    "Eastern",
    "Southern",
    "Blue",
    "Crystal",
    "Amber",
    "Polar",
    "Jade",
    "Royal",
    "Aurora",
    "Cape",
    "Star",
    "Global",
    "Baltic",
    "Harbour",
    "Sea",
    "Morning",
    "Iron",
    "Pearl",
)
NAME_B = (
    "Spirit",
    "Voyager",
    "Trader",
    "Horizon",
    "Pioneer",
    "Breeze",
    "Express",
    "Glory",
    "Fortune",
    "Harmony",
    "Navigator",
    "Venture",
    "Dawn",
    "Carrier",
    "Wave",
    "Falcon",
    "Meridian",
    "Unity",
    "Endeavour",
    "Crown",
)


@dataclass
class Fleet:
    mmsi: np.ndarray
    imo: np.ndarray
    name: np.ndarray
    ship_class: np.ndarray
    ship_type: np.ndarray
    dwt: np.ndarray  # tonnes
    length: np.ndarray  # m
    beam: np.ndarray  # m
    design_draught: np.ndarray  # m
    block_coefficient: np.ndarray
    light_draught: np.ndarray  # m (not published: derived in the truth)
    speed_kn: np.ndarray
    cls: np.ndarray  # index into CLASSES

    @property
    def tpm(self) -> np.ndarray:
        """Tonnes per metre immersion at the design draught (a figure ship registers give)."""
        return SEAWATER * self.block_coefficient * self.length * self.beam

    def displacement(self, v: np.ndarray, draught: np.ndarray) -> np.ndarray:
        """Displacement in tonnes of vessels v at the given draughts (m)."""
        return hull_displacement(
            self.length[v],
            self.beam[v],
            self.block_coefficient[v],
            self.design_draught[v],
            draught,
        )

    def draught_for(self, v: np.ndarray, onboard: np.ndarray) -> np.ndarray:
        """Exact draught (m) of vessels v carrying `onboard` tonnes of cargo."""
        lightship = self.displacement(v, self.design_draught[v]) - self.dwt[v]
        return solve_draught(
            self.length[v],
            self.beam[v],
            self.block_coefficient[v],
            self.design_draught[v],
            lightship + np.asarray(onboard, dtype=float),
        )

    def __len__(self) -> int:
        return len(self.mmsi)


SEAWATER = 1.025  # t/m3


def hull_displacement(length, beam, cb_design, design_draught, draught) -> np.ndarray:
    draught = np.asarray(draught, dtype=float)
    cb = 1.0 - (1.0 - cb_design) * (design_draught / draught) ** (1.0 / 3.0)
    return SEAWATER * cb * length * beam * draught


def solve_draught(length, beam, cb_design, design_draught, target_t) -> np.ndarray:
    """The draught at which the displacement equals target_t (bisection; D is increasing)."""
    low = np.full(np.shape(target_t), 0.05) * design_draught
    high = np.full(np.shape(target_t), 1.5) * design_draught
    for _ in range(60):
        middle = (low + high) / 2
        heavy = hull_displacement(length, beam, cb_design, design_draught, middle) > target_t
        high = np.where(heavy, middle, high)
        low = np.where(heavy, low, middle)
    return (low + high) / 2


def imo_numbers(body: np.ndarray) -> np.ndarray:
    """IMO numbers: 6 digits + check digit (sum of digits weighted 7..2, mod 10)."""
    digits = (body[:, None] // (10 ** np.arange(5, -1, -1))) % 10
    check = (digits * np.arange(7, 1, -1)).sum(axis=1) % 10
    return body * 10 + check


def make_fleet(n: int, rng: np.random.Generator) -> Fleet:
    shares = np.array([c[2] for c in CLASSES])
    cls = rng.choice(len(CLASSES), n, p=shares / shares.sum())
    lo = np.array([c[3][0] for c in CLASSES])[cls]
    hi = np.array([c[3][1] for c in CLASSES])[cls]
    length = np.round(lo + (hi - lo) * rng.beta(2, 2, n), 1)
    beam = np.round(
        length / (np.array([c[4] for c in CLASSES])[cls] * rng.uniform(0.93, 1.07, n)), 1
    )
    cb_lo = np.array([c[5][0] for c in CLASSES])[cls]
    cb_hi = np.array([c[5][1] for c in CLASSES])[cls]
    cb = np.round(rng.uniform(cb_lo, cb_hi), 3)
    draught = np.round(
        length * np.array([c[6] for c in CLASSES])[cls] * rng.uniform(0.9, 1.1, n), 1
    )
    draught = np.minimum(draught, 22.5)
    design_displacement = hull_displacement(length, beam, cb, draught, draught)
    dwt = np.round(rng.uniform(0.75, 0.82, n) * design_displacement, -2)
    light = solve_draught(length, beam, cb, draught, design_displacement - dwt)
    sp_lo = np.array([c[7][0] for c in CLASSES])[cls]
    sp_hi = np.array([c[7][1] for c in CLASSES])[cls]
    mmsi = np.array(MIDS)[rng.integers(0, len(MIDS), n)] * 1_000_000 + rng.choice(
        1_000_000, n, replace=False
    )
    imo = imo_numbers(rng.choice(np.arange(900_000, 999_999), n, replace=False))
    a = rng.integers(0, len(NAME_A), n)
    b = rng.integers(0, len(NAME_B), n)
    names = [f"{NAME_A[i]} {NAME_B[j]}".upper() for i, j in zip(a, b, strict=True)]
    seen: dict[str, int] = {}
    for k, nm in enumerate(names):  # AIS names are not unique, but keep ours distinguishable
        seen[nm] = seen.get(nm, 0) + 1
        if seen[nm] > 1:
            names[k] = f"{nm} {seen[nm]}"
    return Fleet(
        mmsi=mmsi.astype(np.int64),
        imo=imo.astype(np.int64),
        name=np.array(names, dtype=object),
        ship_class=np.array([CLASSES[c][0] for c in cls], dtype=object),
        ship_type=np.array([CLASSES[c][1] for c in cls], dtype=np.int16),
        dwt=dwt,
        length=length,
        beam=beam,
        design_draught=draught,
        block_coefficient=cb,
        light_draught=light,
        speed_kn=np.round(rng.uniform(sp_lo, sp_hi), 1),
        cls=cls,
    )
