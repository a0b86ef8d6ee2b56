"""Feedback without hidden tests.

nbgrader's autograde puts the hidden tests back into the notebook it grades (they are kept in
the gradebook), and ``generate_feedback`` renders that notebook to HTML unchanged, so stock
feedback shows the hidden tests' code and their tracebacks to the trainee. This preprocessor
runs in ``generate_feedback`` (see ``config.configure``): it cuts the hidden region out of each
cell's source and replaces the cell's outputs by one line saying whether the tests passed.
The exchange service also refuses feedback that still contains the markers.
"""

from __future__ import annotations

from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode


class HideHiddenTests(NbGraderPreprocessor):
    begin_delimiter = Unicode(
        "BEGIN HIDDEN TESTS", help="Marker of the first line of a hidden-test region."
    ).tag(config=True)
    end_delimiter = Unicode(
        "END HIDDEN TESTS", help="Marker of the last line of a hidden-test region."
    ).tag(config=True)

    def strip_region(self, source: str) -> tuple[str, bool]:
        kept, inside, found = [], False, False
        for line in source.split("\n"):
            if self.begin_delimiter in line:
                inside, found = True, True
            elif self.end_delimiter in line:
                inside = False
            elif not inside:
                kept.append(line)
        return "\n".join(kept), found

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type != "code":
            return cell, resources
        source, found = self.strip_region(cell.source)
        if found:
            failed = any(output.get("output_type") == "error" for output in cell.get("outputs", []))
            note = "Hidden tests: failed.\n" if failed else "Hidden tests: passed.\n"
            cell.source = source
            cell.outputs = [new_output("stream", name="stdout", text=note)]
        return cell, resources
