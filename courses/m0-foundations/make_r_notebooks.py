"""Module 0's assignment in R: the same four tools as the Python one, for trainees who work
in R. Called by make_notebooks.py (so the committed-notebooks test covers it); run alone with
``python courses/m0-foundations/make_r_notebooks.py``.

Hidden tests compare with the trusted code: ``ungp`` (the R reader of the catalogue) and,
through ``ungp::ungp_py``, Python's ``ungp_catalogs`` on the same files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import code, readonly, solution, tests, write_assignment  # noqa: E402
from nbcells_r import r_notebook  # noqa: E402

ASSIGNMENT = "m0_catalogue_quality_r"
NOTEBOOK = "quality.ipynb"

SHA256_SOLUTION = """
sha256_of <- function(path) {
  ### BEGIN SOLUTION
  digest::digest(path, algo = "sha256", file = TRUE)  # streams the file in chunks
  ### END SOLUTION
}
"""

VERIFY_SOLUTION = """
damaged_files <- function(entry) {
  ### BEGIN SOLUTION
  bad <- character(0)
  for (f in entry$metadata$files) {
    if (!identical(sha256_of(file.path(entry$catalog_dir, f$path)), f$sha256)) {
      bad <- c(bad, f$path)
    }
  }
  bad
  ### END SOLUTION
}
"""

UNIT_VALUE_SOLUTION = """
monthly_unit_values <- function(tx) {
  ### BEGIN SOLUTION
  tx$month <- format(as.Date(tx$week_start), "%Y-%m")
  totals <- aggregate(cbind(turnover, quantity) ~ month + coicop, data = tx, FUN = sum)
  data.frame(
    month = totals$month,
    coicop = totals$coicop,
    unit_value = totals$turnover / totals$quantity
  )
  ### END SOLUTION
}
"""

FINGERPRINT_SOLUTION = """
fingerprint <- function(df) {
  ### BEGIN SOLUTION
  df <- as.data.frame(df)
  df <- df[do.call(order, unname(as.list(df))), , drop = FALSE]
  rownames(df) <- NULL
  digest::digest(df, algo = "sha256")
  ### END SOLUTION
}
"""

CHECKSUMS_PY = """
import json
from ungp_catalogs import catalog_location
from ungp_catalogs.catalog_files import find_entry
from ungp_catalogs.checksum import sha256_file
entry = find_entry(catalog_location(), "scanner_transactions")
print(json.dumps({f["path"]: sha256_file(entry.catalog_dir / f["path"]) for f in entry.files}))
"""

# Python's trusted checksums, through ungp_py (an R raw string holds the Python code).
Q1_HIDDEN = (
    '.ref <- ungp::ungp_py(r"-('
    + CHECKSUMS_PY
    + """)-")
.entry <- ungp::ungp_entry("scanner_transactions")
stopifnot(length(.ref) == length(.entry$metadata$files))
for (.f in .entry$metadata$files) {
  .mine <- sha256_of(file.path(.entry$catalog_dir, .f$path))
  stopifnot(identical(.mine, .ref[[.f$path]]), identical(.mine, .f$sha256))
}
"""
)


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 0 (R) — Trust your data before you use it

        The R version of assignment 0. You will write four small tools that every statistician
        handling new data sources needs: checksum verification, a damage report for a
        catalogue entry, an aggregation that is coherent with its components, and a
        fingerprint for repeatable results.

        Complete each cell marked `YOUR CODE HERE` (remove the `fail()` line).
        Test cells check your work; some tests are hidden and run only when your work is
        graded: they compare your results with the trusted code on the catalogue data.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code("""
        library(ungp)

        tx <- ungp_read("scanner_transactions")
        str(tx)
        """),
        readonly(
            "q1-text",
            """
        ## Question 1 (2 points) — sha256 of a file
        Write `sha256_of(path)`, returning the hexadecimal sha256 digest of the file's bytes
        as one string. Do not read the whole file into memory (data files can be larger than
        memory): the `digest` package can hash a file as it reads it.
        """,
        ),
        solution("q1-answer", SHA256_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        sample <- tempfile(fileext = ".txt")
        writeBin(charToRaw("abc"), sample)
        # FIPS 180-2, appendix B.1: the published digest of "abc"
        ABC <- "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        stopifnot(identical(sha256_of(sample), ABC))
        """,
        ),
        tests(
            "q1-hidden",
            1,
            "# Hidden tests compare sha256_of with the catalogue's checksums.",
            Q1_HIDDEN,
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (2 points) — which files are damaged?
        Write `damaged_files(entry)` for an entry as `ungp_entry("scanner_transactions")`
        returns it: `entry$catalog_dir` is a folder and `entry$metadata$files` a list of files,
        each with `path` (relative to `catalog_dir`) and `sha256`. Return the `path` of every
        file whose checksum does not match, or `character(0)`.
        """,
        ),
        solution("q2-answer", VERIFY_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        stopifnot(length(damaged_files(ungp_entry("scanner_transactions"))) == 0)
        stopifnot(length(damaged_files(ungp_entry("ais_ports"))) == 0)
        """,
        ),
        tests(
            "q2-hidden",
            1,
            "# Hidden tests damage a copy of the catalogue and call damaged_files on it.",
            """
            .copy <- tempfile("catalogue-")
            dir.create(.copy)
            .root <- dirname(ungp::ungp_catalog_location())
            stopifnot(file.copy(.root, .copy, recursive = TRUE))
            .copy <- file.path(.copy, basename(.root))
            .files <- ungp::ungp_entry("scanner_transactions", .copy)$metadata$files
            .victim <- file.path(.copy, "scanner", .files[[length(.files)]]$path)
            .bytes <- readBin(.victim, "raw", file.size(.victim))
            .at <- length(.bytes) %/% 3
            .bytes[.at] <- xor(.bytes[.at], as.raw(1))
            writeBin(.bytes, .victim)
            .entry <- ungp::ungp_entry("scanner_transactions", .copy)
            stopifnot(identical(damaged_files(.entry), .files[[length(.files)]]$path))
            stopifnot(identical(damaged_files(.entry), ungp::ungp_damaged_files(.entry)))
            unlink(dirname(.copy), recursive = TRUE)
            """,
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — a coherent monthly unit value
        Write `monthly_unit_values(tx)` returning a `data.frame` with one row per month
        (`"YYYY-MM"`, from `week_start`) and COICOP subclass and the columns
        `month, coicop, unit_value`: total turnover divided by total quantity. An average
        of row-level unit values would not be coherent with the totals: the turnover of a
        subclass must equal unit value × quantity.
        """,
        ),
        solution("q3-answer", UNIT_VALUE_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        uv <- monthly_unit_values(tx)
        stopifnot(identical(names(uv), c("month", "coicop", "unit_value")))
        stopifnot(!anyDuplicated(uv[c("month", "coicop")]))
        stopifnot(all(grepl("^[0-9]{4}-[0-9]{2}$", uv$month)))
        stopifnot(all(uv$unit_value > 0))
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests check coherence with the turnover and quantity totals.",
            """
            .tx <- tx
            .tx$month <- format(as.Date(.tx$week_start), "%Y-%m")
            .totals <- aggregate(cbind(turnover, quantity) ~ month + coicop, data = .tx, FUN = sum)
            .mine <- merge(.totals, monthly_unit_values(tx), by = c("month", "coicop"),
                           all.x = TRUE)
            stopifnot(nrow(.mine) == nrow(.totals), !anyNA(.mine$unit_value))
            .rel <- abs(.mine$unit_value * .mine$quantity / .mine$turnover - 1)
            stopifnot(max(.rel) < 1e-9)
            """,
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — a fingerprint for repeatable results
        Write `fingerprint(df)` returning a sha256 hex digest of a table's **content**: the
        same for the same rows in any order, different as soon as one value changes.
        `digest::digest(x, algo = "sha256")` hashes any R object (row names included).
        """,
        ),
        solution("q4-answer", FINGERPRINT_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        small <- data.frame(a = 1:3, b = c("x", "y", "z"))
        changed <- transform(small, b = c("x", "y", "w"))
        stopifnot(nchar(fingerprint(small)) == 64)
        stopifnot(identical(fingerprint(small), fingerprint(data.frame(small))))
        stopifnot(!identical(fingerprint(small), fingerprint(changed)))
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests shuffle and alter the catalogue's transactions.",
            """
            set.seed(7)
            .shuffled <- tx[sample(nrow(tx)), ]
            stopifnot(identical(fingerprint(.shuffled), fingerprint(tx)))
            .altered <- tx
            .altered$turnover[6] <- .altered$turnover[6] + 0.01
            stopifnot(!identical(fingerprint(.altered), fingerprint(tx)))
            """,
        ),
    ]


# A trainee who averages row-level unit values and hashes the table as it is (row order
# matters).
WRONG_MEAN_OF_RATIOS = {
    "q3-answer": """
    monthly_unit_values <- function(tx) {
      tx$month <- format(as.Date(tx$week_start), "%Y-%m")
      tx$unit_value <- tx$turnover / tx$quantity
      aggregate(unit_value ~ month + coicop, data = tx, FUN = mean)
    }
    """,
    "q4-answer": """
    fingerprint <- function(df) {
      digest::digest(df, algo = "sha256")
    }
    """,
}


def main(out: Path) -> list[Path]:
    reference = r_notebook(assignment())
    return write_assignment(
        out, ASSIGNMENT, NOTEBOOK, reference, {"mean_of_ratios": WRONG_MEAN_OF_RATIOS}
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    main(parser.parse_args().out)
