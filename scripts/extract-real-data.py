#!/usr/bin/env python3
"""Extracts the small real data sets scikit-learn ships inside its wheel into
Sources/Unlearning/Resources/RealData/ as .npy files (raw features, labels ±1),
with their licence notices. Run once; the outputs are committed, so building and
testing never need scikit-learn or the network.

    python3 scripts/extract-real-data.py            # downloads the wheel with pip (no install)
    python3 scripts/extract-real-data.py --wheel W  # or reads a wheel you already have

Binary tasks: breast-cancer +1 = malignant (sklearn target 0), -1 = benign;
digits +1 = odd digit, -1 = even digit.
"""
import argparse, glob, gzip, io, os, subprocess, sys, tempfile, zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Unlearning", "Resources", "RealData")
SKLEARN = "scikit-learn==1.9.1"


def wheel_path(given):
    if given:
        return given
    tmp = tempfile.mkdtemp()
    subprocess.check_call([sys.executable, "-m", "pip", "download", SKLEARN, "--no-deps", "--only-binary=:all:", "-d", tmp, "-q"])
    return glob.glob(os.path.join(tmp, "*.whl"))[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", help="a scikit-learn wheel already on disk")
    args = ap.parse_args()
    wheel = zipfile.ZipFile(wheel_path(args.wheel))
    version = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")][0].split("-")[1].split(".dist")[0]
    os.makedirs(OUT, exist_ok=True)

    # Breast cancer: first line "569,30,malignant,benign", then 30 features and the class (0 malignant, 1 benign).
    lines = wheel.read("sklearn/datasets/data/breast_cancer.csv").decode().strip().splitlines()
    table = np.array([[float(v) for v in l.split(",")] for l in lines[1:]])
    assert table.shape == (569, 31), table.shape
    np.save(os.path.join(OUT, "breast-cancer.x.npy"), table[:, :30].astype(np.float64))
    np.save(os.path.join(OUT, "breast-cancer.y.npy"), np.where(table[:, 30] == 0, 1.0, -1.0))

    # Digits: 64 pixel counts (0..16) and the digit.
    table = np.loadtxt(io.BytesIO(gzip.decompress(wheel.read("sklearn/datasets/data/digits.csv.gz"))), delimiter=",")
    assert table.shape == (1797, 65), table.shape
    np.save(os.path.join(OUT, "digits.x.npy"), table[:, :64].astype(np.float64))
    np.save(os.path.join(OUT, "digits.y.npy"), np.where(table[:, 64] % 2 == 1, 1.0, -1.0))

    notice = [
        "# Real data sets bundled with swift-unlearning",
        "",
        f"Extracted by `scripts/extract-real-data.py` from the scikit-learn {version} wheel (PyPI), which ships them in",
        "`sklearn/datasets/data/`. Raw features as float64 `.npy`; labels ±1 for the binary tasks below.",
        "`unlearn` standardises the features (zero mean, unit variance per column over the whole set) and scales all rows by one",
        "factor to a mean squared norm of 1 when it loads them by name (`--dataset`).",
        "",
        "| name | examples | features | +1 | -1 |",
        "|---|---:|---:|---|---|",
        "| breast-cancer | 569 | 30 | malignant (212) | benign (357) |",
        "| digits | 1797 | 64 | odd digit | even digit |",
        "",
        "## Sources and licences",
        "",
        "- **Breast Cancer Wisconsin (Diagnostic)**: W. N. Street, W. H. Wolberg, O. L. Mangasarian, UCI Machine Learning",
        "  Repository, https://doi.org/10.24432/C5DW2B, licensed under Creative Commons Attribution 4.0 (CC BY 4.0).",
        "- **Optical Recognition of Handwritten Digits** (the test set, 8×8 counts): E. Alpaydin, C. Kaynak, UCI Machine",
        "  Learning Repository, https://doi.org/10.24432/C50P49, licensed under Creative Commons Attribution 4.0 (CC BY 4.0).",
        "- The copies come from scikit-learn (BSD 3-Clause licence, reproduced below).",
        "",
        "## scikit-learn's description of each set",
        "",
    ]
    for name in ["breast_cancer", "digits"]:
        notice += ["```", wheel.read(f"sklearn/datasets/descr/{name}.rst").decode().strip(), "```", ""]
    copying = [n for n in wheel.namelist() if n.endswith("licenses/COPYING") or n.endswith(".dist-info/COPYING")][0]
    notice += ["## scikit-learn licence", "", "```", wheel.read(copying).decode().strip(), "```", ""]
    with open(os.path.join(OUT, "NOTICE.md"), "w") as f:
        f.write("\n".join(notice))
    print("wrote", ", ".join(sorted(os.listdir(OUT))), "in", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
