"""The docs' fenced blocks: every command block says where it runs, or the build fails."""

from __future__ import annotations

import pytest
from docs_blocks import Command, DocsBlockError, Where, collect, parse
from testpolicy import REPO_ROOT

PAGE = """# A page

Some text.

```bash
# where: host (the checkout, after make up)
ungp course create demo   # a comment after the command

ungp dashboards publish a.ipynb --to all \\
    --title "Weekly"
```

1. In a list item:

   ```sh
   # where: trainee terminal
   cd ~/courses/demo
   ```

```python
# where: analyst notebook
import os

os.getcwd()
```

```text
error: sample output, not a command
```

```sh
# where: not run by the docs test: it clones the repository
git clone URL
```
"""


def test_blocks_carry_where_they_run_and_their_commands():
    blocks = list(parse(PAGE, "docs/page.md"))
    assert [(b.line, b.language, b.where) for b in blocks] == [
        (5, "bash", Where("host", note="the checkout, after make up")),
        (15, "sh", Where("terminal", role="trainee")),
        (20, "python", Where("notebook", role="analyst")),
        (27, "text", None),
        (31, "sh", Where("skip", note="it clones the repository")),
    ]
    assert blocks[0].commands == (
        Command("docs/page.md", 7, "ungp course create demo   # a comment after the command"),
        Command(
            "docs/page.md", 9, 'ungp dashboards publish a.ipynb --to all \\\n    --title "Weekly"'
        ),
    )
    assert blocks[1].commands == (Command("docs/page.md", 17, "cd ~/courses/demo"),)
    assert blocks[2].commands == (Command("docs/page.md", 22, "import os\n\nos.getcwd()"),)
    assert not blocks[4].where.runs


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("```bash\nungp course create demo\n```\n", "must start with a where-line"),
        ("```python\nimport os\n```\n", "must start with a where-line"),
        ("```\nungp course create demo\n```\n", "without a language"),
        ("```bash\n# where: somewhere\nls\n```\n", "unknown place 'somewhere'"),
        ("```bash\n# where: visitor terminal\nls\n```\n", "unknown place"),
        ("```bash\n# where: not run by the docs test:\nls\n```\n", "say why"),
        ("```bash\n# where: trainee notebook\nls\n```\n", "runs in a terminal"),
        ("```r\n# where: host\n1 + 1\n```\n", "runs in a notebook cell"),
        ("```perl\n# where: host\n1\n```\n", "unknown block language 'perl'"),
        ("```sh\n# where: host\nls \\\n```\n", "README.md:5: .* ends with a backslash"),
    ],
)
def test_a_block_the_test_cannot_place_fails_naming_file_and_line(block, message):
    with pytest.raises(DocsBlockError, match=message) as raised:
        list(parse("Intro.\n\n" + block, "README.md"))
    assert str(raised.value).startswith(("README.md:3: ", "README.md:5: "))


def test_every_command_block_of_the_docs_says_where_it_runs():
    blocks = collect(REPO_ROOT)
    commands = [b for b in blocks if b.where is not None]
    assert len(commands) >= 10, "the docs' command blocks were not found"
    skipped = [b.id for b in commands if not b.where.runs]
    assert len(skipped) <= 3, f"keep blocks the docs test does not run few: {skipped}"
