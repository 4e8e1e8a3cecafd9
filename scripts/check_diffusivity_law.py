#!/usr/bin/python3
"""How good is edopt's step-lagged diffusivity (docs/numerics.md, "D_s(x)")?

One graphite particle under constant lithiation flux, solved twice on a fine radial mesh
(100 shells, 2000 implicit steps per fill time):
  nonlinear: D(theta) at every face (Picard iterations inside each step),
  lagged:    D uniform in the particle, taken at its mean stoichiometry at the start of
             each step (what the cell model does, so its diffusion modes stay linear).
Prints the mean stoichiometry gained when the outer shell reaches 0.99, for fill times of
0.3-10 R^2/D(0.5). D(x) is the Ecker 2015 graphite shape (8.4e-13 exp(-11.3 x) + 8.2e-15 m2/s)
scaled to 1 at x = 0.5. Needs python3-numpy (a Debian package; scripts/setup installs it).
"""
import numpy as np


def thomas(lower, diag, upper, rhs):
    """Solves the tridiagonal system (lower[i] x[i-1] + diag[i] x[i] + upper[i] x[i+1])."""
    n = len(diag)
    c, d = np.zeros(n), np.zeros(n)
    for i in range(n):
        den = diag[i] - (lower[i] * c[i - 1] if i else 0.0)
        c[i] = upper[i] / den if i + 1 < n else 0.0
        d[i] = (rhs[i] - (lower[i] * d[i - 1] if i else 0.0)) / den
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = d[i] - (c[i] * x[i + 1] if i + 1 < n else 0.0)
    return x


def shape(x):
    x = np.clip(x, 0.0, 1.0)
    ecker = lambda s: 8.4e-13 * np.exp(-11.3 * s) + 8.2e-15
    return ecker(x) / ecker(0.5)


def gained(fill_time, nonlinear, shells=100, steps=2000, theta0=0.01, stop=0.99):
    faces = np.linspace(0.0, 1.0, shells + 1)
    centres = 0.5 * (faces[1:] + faces[:-1])
    volume = faces[1:] ** 3 - faces[:-1] ** 3  # fractions of the particle (sum 1)
    area = 3.0 * faces[1:-1] ** 2
    gap = centres[1:] - centres[:-1]
    theta = np.full(shells, theta0)
    flux = 1.0 / fill_time  # d(mean)/dt
    dt = fill_time / steps
    while theta[-1] < stop:
        old = theta.copy()
        new = theta.copy()
        for _ in range(4 if nonlinear else 1):
            if nonlinear:
                d = shape(0.5 * (new[1:] + new[:-1]))
            else:
                d = np.full(shells - 1, shape(np.dot(volume, old)))
            c = area * d / gap
            diag = volume / dt
            diag[:-1] += c
            diag[1:] += c
            lower = np.concatenate(([0.0], -c))
            upper = np.concatenate((-c, [0.0]))
            rhs = volume / dt * old
            rhs[-1] += flux
            new = thomas(lower, diag, upper, rhs)
        theta = new
    return np.dot(volume, theta) - theta0


if __name__ == "__main__":
    print("fill time (R^2/D)  nonlinear  lagged  difference (points)")
    for fill in (0.3, 1.0, 3.0, 10.0):
        a, b = gained(fill, True), gained(fill, False)
        print(f"{fill:17.1f}  {a:9.4f}  {b:6.4f}  {100 * (b - a):+.2f}")
