#!/usr/bin/env python3
"""Write the interop fixtures of Tests/UnlearningTests/Fixtures/ (MATH.md §8).

Small .npy files written by NumPy and .safetensors files written by the
`safetensors` package, plus expected.json holding their exact contents (every
double as its Python repr, which round-trips bit-exactly), so the Swift tests
can check that they read what these libraries wrote. Deterministic: the values
are fixed below, no randomness. Needs python3, numpy and safetensors.

    python3 scripts/make-fixtures.py
"""

import json
import os
import struct

import numpy as np
from numpy.lib import format as npformat
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "UnlearningTests", "Fixtures")

# 4×3, with the awkward doubles: signed zero, the smallest subnormal, the
# smallest normal, the largest finite, values that are not dyadic.
X = np.array(
    [
        [0.1, -0.0, 5e-324],
        [-2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308],
        [1.0 / 3.0, np.pi, -2.5],
        [1e-300, 123456789.123, 2.0**53 + 2.0],
    ],
    dtype="<f8",
)
X_F4 = np.array(
    [[0.1, -0.0, 1e-45], [3.4028234663852886e38, -1.5, 1.0 / 3.0]], dtype="<f4"
)
X_F2 = np.array([[1.0, -0.0, 6e-08], [65504.0, 0.1, -2.5]], dtype="<f2")
VEC = np.array([1.5, -0.0, 2.0**-1074, -1e308, 7.0], dtype="<f8")
LABELS = [1, -1, -1, 1]
LABELS01 = [0, 1, 1, 0]

W_LINEAR = np.array([0.5, -1.25, 3.0e-5], dtype="<f8")
W_TWO = np.array(
    [[0.1, 0.2, -0.3], [1e-3, -4.0, 5.5], [-0.0, 2.0**-30, 7.25], [1.0 / 7.0, -1.0 / 3.0, 9.0]],
    dtype="<f8",
)
U_TWO = np.array([0.5, 0.5, -0.5, -0.5], dtype="<f8")
W_F32 = np.array([[0.1, -2.0, 3.5], [1e-40, 65536.0, -0.0]], dtype="<f4")
U_F32 = np.array([0.70710677, -0.70710677], dtype="<f4")
W_F16 = np.array([[0.1, -2.0, 6e-08], [65504.0, -0.0, 0.333]], dtype="<f2")
# bfloat16 bit patterns (the upper halves of float32s): 1, -2, 0.1 rounded, 2^-133 (subnormal), 3.0e38 rounded, -0.
BF16_BITS = [0x3F80, 0xC000, 0x3DCD, 0x0001, 0x7F62, 0x8000]


def bf16_value(bits):
    return float(struct.unpack("<f", struct.pack("<I", bits << 16))[0])


def entry(array):
    return {"shape": list(array.shape), "values": [repr(float(v)) for v in np.asarray(array, dtype=np.float64).ravel(order="C")]}


def metadata(architecture):
    return {"architecture": architecture, "train_output_layer": "false", "loss": "exponential"}


def save_sorted(tensors, path, meta=None):
    """safetensors.numpy.save_file, then the __metadata__ keys put in sorted order.

    The reference implementation keeps metadata in a Rust HashMap, so its key
    order changes from run to run; sorting them (the header keeps its length)
    makes the fixtures deterministic and identical to what the Swift writer
    produces. Everything else is the library's own output.
    """
    save_file(tensors, path, metadata=meta)
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n], object_pairs_hook=dict)
    if "__metadata__" in header:
        header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (n - len(text))
    assert len(text) == n
    with open(path, "wb") as f:
        f.write(raw[:8] + text + raw[8 + n :])
    os.chmod(path, 0o644)


def write_bf16(path, name, shape, bits, meta):
    """A safetensors file laid out as the reference implementation writes it."""
    data = b"".join(struct.pack("<H", b) for b in bits)
    header = {"__metadata__": meta, name: {"dtype": "BF16", "shape": shape, "data_offsets": [0, len(data)]}}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def main():
    os.makedirs(OUT, exist_ok=True)
    path = lambda name: os.path.join(OUT, name)
    expected = {}

    np.save(path("x_c.npy"), X)
    expected["x_c.npy"] = entry(X)
    np.save(path("x_fortran.npy"), np.asfortranarray(X))
    expected["x_fortran.npy"] = entry(X)
    np.save(path("x_be.npy"), X.astype(">f8"))
    expected["x_be.npy"] = entry(X)
    np.save(path("x_f4.npy"), X_F4)
    expected["x_f4.npy"] = entry(X_F4)
    np.save(path("x_f2.npy"), X_F2)
    expected["x_f2.npy"] = entry(X_F2)
    np.save(path("vec.npy"), VEC)
    expected["vec.npy"] = entry(VEC)
    np.save(path("y_i8.npy"), np.array(LABELS, dtype="<i8"))
    expected["y_i8.npy"] = entry(np.array(LABELS, dtype="<i8"))
    np.save(path("y_i4.npy"), np.array(LABELS, dtype="<i4"))
    expected["y_i4.npy"] = entry(np.array(LABELS, dtype="<i4"))
    np.save(path("y01.npy"), np.array(LABELS01, dtype="<i8"))
    expected["y01.npy"] = entry(np.array(LABELS01, dtype="<i8"))
    for version, name in (((2, 0), "v2.npy"), ((3, 0), "v3.npy")):
        with open(path(name), "wb") as f:
            npformat.write_array(f, X, version=version)
        expected[name] = entry(X)

    save_sorted({"w": W_LINEAR}, path("model_linear.safetensors"), metadata("linear"))
    expected["model_linear.safetensors"] = {"metadata": metadata("linear"), "tensors": {"w": entry(W_LINEAR)}}
    save_sorted({"W": W_TWO, "u": U_TWO}, path("model_two_layer.safetensors"), metadata("two-layer-relu"))
    expected["model_two_layer.safetensors"] = {
        "metadata": metadata("two-layer-relu"),
        "tensors": {"W": entry(W_TWO), "u": entry(U_TWO)},
    }
    save_sorted({"W": W_F32, "u": U_F32}, path("model_f32.safetensors"), metadata("two-layer-relu"))
    expected["model_f32.safetensors"] = {
        "metadata": metadata("two-layer-relu"),
        "tensors": {"W": entry(W_F32), "u": entry(U_F32)},
    }
    save_sorted({"w": W_F16}, path("model_f16.safetensors"), metadata("linear"))
    expected["model_f16.safetensors"] = {"metadata": metadata("linear"), "tensors": {"w": entry(W_F16)}}
    write_bf16(path("model_bf16.safetensors"), "w", [2, 3], BF16_BITS, metadata("linear"))
    expected["model_bf16.safetensors"] = {
        "metadata": metadata("linear"),
        "tensors": {"w": {"shape": [2, 3], "values": [repr(bf16_value(b)) for b in BF16_BITS]}},
    }

    # Every safetensors fixture must load with the reference reader.
    from safetensors import safe_open

    for name, want in expected.items():
        if name.endswith(".safetensors"):
            with safe_open(path(name), framework="np") as f:
                assert f.metadata() == want["metadata"], name
                assert sorted(f.keys()) == sorted(want["tensors"]), name

    with open(path("expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
