"""A trust config: several schools in one deployment (docs/scale.md, "Several schools").

The trust's file has a `[trust]` section listing the schools' files, and the sections the schools share:

    [trust]
    name = "Cwm Valley Learning Trust"
    schools = ["schools/ihs.toml", "schools/ysgol-cwm.toml"]

    [output]        # one report folder and one history for the trust; each school has its own part of both
    [email]         # the mail server; each school names its own recipients (slt) in its own file
    [schedule]      # when the trust's audits and comment sweeps run
    [logging]  [connectors]  [links]
    [workers]       # the broker and the workers that read every school's accounts (docs/scale.md)

Each school's file is a normal single-school config (`[school]`, `[[accounts]]`, `[departments]`, `[safeguarding]`,
`[waivers]`, and its own `[email] slt`), without the sections that belong to the whole trust ([output], [schedule],
[logging], [workers]). A school's id is its file's name without `.toml` (schools/ysgol-cwm.toml is "ysgol-cwm"): its
reports are written under `<[output] dir>/<id>/`, its rows of the history are its own (auditor/schools.py), and
`--school ID` picks it.

[email], [connectors] and [links] may also be written in a school's file: its own keys win, the trust's fill in the
rest. Relative paths are relative to the file that writes them: a school's roster and waivers to the school's file,
the trust's report folder, history, log and blocklists to the trust's file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditor.config import Inherited, _dotted, _Lines, _validate, checks_or_all, read
from auditor.config_values import show, type_name
from auditor.schools import slug_problem
from auditor.settings import (
    DEFAULT_BLOCKLISTS,
    DEFAULT_LINK_CACHE,
    DEFAULT_REPORTS_DIR,
    DEFAULT_STORE,
    SECTIONS,
    Config,
    ConfigError,
    Deployment,
    _bare,
)

# Sections set once for the whole trust: a school's file may not write them.
TRUST_ONLY = ("output", "schedule", "logging", "workers")
# Sections the trust may give defaults for, which a school's own keys override.
SHARED = ("email", "connectors", "links")
TRUST_KEYS = ("name", "schools")
# Keys naming a file or folder, made absolute from the trust's folder before a school's file is read with them:
# (section, key, the default when the trust does not write it, or None for no default).
_PATHS = (
    ("output", "dir", DEFAULT_REPORTS_DIR),
    ("output", "store", DEFAULT_STORE),
    ("logging", "file", None),
    ("links", "blocklists", DEFAULT_BLOCKLISTS),
    ("links", "cache", DEFAULT_LINK_CACHE),
)
MAX_SCHOOLS = 2000


def load_deployment(path: Path | str, checks: Iterable[str] | None = None) -> Deployment:
    """The schools a config file describes: one for a single school's config.toml (exactly what
    `auditor.config.load` gives), each school of a trust for a trust's config. Raises ConfigError listing every
    problem of every file."""
    path, text, raw = read(path)
    if "trust" not in raw:
        return Deployment(path=path.resolve(), schools=(_validate(path.resolve(), text, raw, checks_or_all(checks)),))
    return load(path.resolve(), text, raw, checks_or_all(checks))


def load(path: Path, text: str, raw: dict[str, Any], checks: frozenset[str]) -> Deployment:
    """The trust's schools, each its settings complete; a ConfigError with every problem of every file."""
    lines = _Lines(text)
    problems: list[str] = []

    def problem(where: tuple[str, ...], message: str) -> None:
        line = None
        for depth in range(len(where), 0, -1):
            line = lines.line(where[:depth])
            if line:
                break
        at = f"{path}:{line}" if line else f"{path}"
        problems.append(f"{at}: {_dotted(where)}: {message}" if where else f"{at}: {message}")

    for key, value in raw.items():
        if key == "trust" or key in TRUST_ONLY or key in SHARED:
            if not isinstance(value, dict):
                problem((key,), f"expected a table ([{key}]), found {type_name(value)}")
        elif key in SECTIONS:
            problem(
                (key,), f"[{key}] belongs in each school's own file, not in the trust's; [trust] schools lists them"
            )
        else:
            known = ", ".join(("trust", *TRUST_ONLY, *SHARED))
            problem((key,), f"unknown section; a trust's file has {known}")
    section = raw.get("trust")
    trust = section if isinstance(section, dict) else {}
    for key in trust:
        if key not in TRUST_KEYS:
            problem(("trust", key), f"unknown key; known keys: {', '.join(TRUST_KEYS)}")
    name = trust.get("name", "")
    if not isinstance(name, str) or not name.strip():
        problem(("trust", "name"), f"expected the trust's name in quotes, found {type_name(name) if name else 'none'}")
    email = raw.get("email")
    if isinstance(email, dict) and "slt" in email:
        problem(
            ("email", "slt"),
            "each school names its own senior leaders in its own file ([email] slt), so that a school's summary "
            "and alerts go only to its own people; remove slt from the trust's [email]",
        )
    entries = _school_files(path, trust.get("schools"), problem)
    inherited = Inherited(path=path, text=text, sections=_shared(path.parent, raw))
    schools: list[Config] = []
    owners: dict[tuple[str, str], str] = {}
    for index, (file, slug) in entries:
        config = _school(file, slug, index, inherited, checks, path, problems)
        if config is None:
            continue
        for account in config.accounts:
            other = owners.setdefault((_bare(account.handle), account.platform), slug)
            if other != slug:
                problems.append(
                    f"{file}: {account.handle} on {account.platform} is also registered by school {other!r}; an "
                    "account belongs to one school: remove it from one of the two files"
                )
        schools.append(config)
    if problems:
        raise ConfigError(list(dict.fromkeys(problems)))
    return Deployment(path=path, schools=tuple(schools), trust_name=str(name).strip())


def _school_files(path: Path, value: object, problem: Any) -> list[tuple[int, tuple[Path, str]]]:
    """The schools' files and ids, in the order listed: (index, (file, id))."""
    where = ("trust", "schools")
    example = '["schools/ihs.toml", "schools/ysgol-cwm.toml"]'
    if value is None:
        problem(where, f"missing; list the schools' config files, like schools = {example}")
        return []
    if not isinstance(value, list) or not value:
        found = "an empty list" if isinstance(value, list) else type_name(value)
        problem(where, f"expected a list of the schools' config files, like {example}, found {found}")
        return []
    if len(value) > MAX_SCHOOLS:
        problem(where, f"lists {len(value)} schools; one trust config holds at most {MAX_SCHOOLS}")
        return []
    out: list[tuple[int, tuple[Path, str]]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        at = (*where, str(index))
        if not isinstance(item, str) or not item.strip():
            problem(at, f"expected the path of a school's config file in quotes, found {type_name(item)}")
            continue
        file = (path.parent / item.strip()).resolve()
        if file.suffix != ".toml":
            problem(at, f"expected a .toml file, found {show(item)}")
            continue
        slug = file.stem
        why = slug_problem(slug)
        if why:
            problem(at, f"{why}; the school's id is its file's name without .toml, so rename the file")
            continue
        if slug in seen:
            problem(at, f"a second school with the id {slug!r} (also schools[{seen[slug] + 1}]); rename one file")
            continue
        if file == path:
            problem(at, "names the trust's own file; list each school's own config file")
            continue
        seen[slug] = index
        out.append((index, (file, slug)))
    return out


def _shared(base: Path, raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The trust's sections as each school's file is read with them, their paths made absolute from the trust's
    folder (a path already absolute is kept; a store given as a database URL is left as it is)."""
    sections: dict[str, dict[str, Any]] = {}
    for name in (*TRUST_ONLY, *SHARED):
        value = raw.get(name)
        if isinstance(value, dict):
            sections[name] = {k: v for k, v in value.items() if not (name == "email" and k == "slt")}
    for name, key, default in _PATHS:
        table = sections.get(name)
        value = table.get(key) if table is not None else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                continue
            value = default
        if not isinstance(value, str):
            continue  # refused by the school's reading, at the trust's line
        text = value.strip()
        prefix = "sqlite:///" if text.startswith("sqlite:///") else ""
        if "://" in text and not prefix:
            continue
        sections.setdefault(name, {})[key] = prefix + str(base / text.removeprefix(prefix))
    return sections


def _school(
    file: Path,
    slug: str,
    index: int,
    inherited: Inherited,
    checks: frozenset[str],
    trust_path: Path,
    problems: list[str],
) -> Config | None:
    listed = f"(listed as schools[{index + 1}] in {trust_path})"
    try:
        file, text, raw = read(file)
    except ConfigError as exc:
        problems.extend(f"{p} {listed}" for p in exc.problems)
        return None
    if not raw:
        problems.append(f"{file}: the config file is empty; it needs a [school] section and at least one [[accounts]]")
        return None
    lines = _Lines(text)
    own = dict(raw)
    for name in ("trust", *TRUST_ONLY):
        if name in own:
            line = lines.line((name,))
            at = f"{file}:{line}" if line else str(file)
            why = (
                "a school's file cannot list schools of its own"
                if name == "trust"
                else f"[{name}] is set once for the whole trust, in {trust_path}; remove it from this school's file"
            )
            problems.append(f"{at}: {name}: {why}")
            del own[name]
    try:
        config = _validate(file, text, own, checks, inherited)
    except ConfigError as exc:
        problems.extend(exc.problems)
        return None
    output = config.output
    public = output.public_url
    return dataclasses.replace(
        config,
        school_id=slug,
        output=dataclasses.replace(
            output,
            dir=output.dir / slug,
            public_url=f"{public.rstrip('/')}/{slug}/" if public else None,
        ),
    )
